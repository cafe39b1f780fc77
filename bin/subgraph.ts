/**
 * One provider's subgraph in a process of its own: `subgraph <name> [--port N] [--host H]`, with its
 * emulator in the same process when the environment has no real credentials for it. How the subgraphs are
 * deployed apart from the gateway (`npm run gateway`), and how one of them can fail alone.
 */
import { parseArgs } from 'node:util';
import { configure, emulatedProviders } from '../app/configure.ts';
import { DEFAULT_GATEWAY_PORT, providers } from '../app/providers.ts';
import { derivedPort, EMULATOR_PORT_OFFSET, SUBGRAPH_PORT_OFFSET } from '../app/ports.ts';
import { emulators } from '../emulators/index.ts';
import { createAuditLog } from '../kit/access/audit-log.ts';
import { createPrincipalTokens } from '../kit/access/principal-token.ts';
import { createCacheStore } from '../kit/cache/create-cache-store.ts';
import { ConfigError } from '../kit/config.ts';
import { join } from 'node:path';
import { openDatabaseFor } from '../kit/database/open-for-providers.ts';
import { createEventBus } from '../kit/events/create-event-bus.ts';
import { createLogger } from '../kit/logger.ts';
import { startTracing } from '../kit/tracing.ts';
import { createMetrics } from '../kit/metrics.ts';
import { startSubgraphServer } from '../kit/subgraph-server.ts';
import { runUntilSignalled } from './run-until-signalled.ts';

const names = providers.map((p) => p.name);
const usage = [
  `usage: subgraph <${names.join('|')}> [--port N] [--host HOST]`,
  `  Serves one subgraph (default port: the committed supergraph's, ${DEFAULT_GATEWAY_PORT} + 1 + its index), its webhooks`,
  '  and GET /health; starts its emulator too when the provider has no real credentials. Environment:',
  '  SUBGRAPH_SECRET (required: the gateway signs every request with it), the provider\'s variables,',
  '  REDIS_URL, DATABASE_URL, LOG_LEVEL (see README).',
].join('\n');

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
  });
  const index = names.indexOf(positionals[0] ?? '');
  if (values.help || index < 0 || positionals.length !== 1) {
    process.stderr.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const provider = providers[index]!;
  const port = values.port === undefined ? derivedPort(DEFAULT_GATEWAY_PORT, SUBGRAPH_PORT_OFFSET, index) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError([`--port: not a port (${values.port})`]);
  const env = { ...process.env, ...(values.host !== undefined ? { HOST: values.host } : {}) };
  // Everything is validated before anything starts (the emulator's URL is not known yet).
  const { gateway: config } = configure(env, [provider]);
  if (!config.SUBGRAPH_SECRET) throw new ConfigError(['SUBGRAPH_SECRET: required (the secret shared with the gateway, whose signature every request must carry)']);
  const logger = createLogger({ level: config.LOG_LEVEL, name: `subgraph-${provider.name}` });
  const closers: (() => Promise<void>)[] = [];
  runUntilSignalled(
    async () => {
      for (const close of closers.splice(0).reverse()) await close();
    },
    logger,
    { exitWithParent: true },
  );
  const tracing = await startTracing(process.env, `subgraph-${provider.name}`);
  if (tracing) closers.push(() => tracing.shutdown());

  const emulated = emulatedProviders(env, [provider]).length > 0;
  const emulator = emulated
    ? await emulators[provider.name]!.start({ host: config.HOST, port: port === 0 ? 0 : derivedPort(DEFAULT_GATEWAY_PORT, EMULATOR_PORT_OFFSET, index), env })
    : undefined;
  if (emulator) closers.push(() => emulator.close());
  const { create } = configure(env, [provider], emulator ? { [provider.name]: emulator.url } : {}).subgraphs[0]!;
  const cacheStore = await createCacheStore({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  closers.push(() => cacheStore.close());
  const eventBus = await createEventBus({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  closers.push(() => eventBus.close());
  const audit = createAuditLog({ logger, file: config.AUDIT_LOG_FILE });
  closers.push(() => audit.close());
  // Subgraphs in separate processes share Postgres; PGlite would be this process's alone.
  // Without DATABASE_URL each such process gets a PGlite folder of its own: two processes on one folder corrupt it.
  if (provider.migrations && !config.DATABASE_URL) logger.warn({ subgraph: provider.name }, 'DATABASE_URL is unset: this subgraph keeps its data in an embedded database no other process sees');
  const database = await openDatabaseFor([provider], { ...config, DATABASE_DIR: config.DATABASE_DIR.startsWith('memory://') ? config.DATABASE_DIR : join(config.DATABASE_DIR, provider.name) }, logger, providers);
  if (database) closers.push(() => database.close());
  const subgraph = create({ cacheStore, eventBus, logger, metrics: createMetrics({ collectDefault: true }), database, audit });
  const server = await startSubgraphServer({
    subgraph,
    host: config.HOST,
    port,
    logger,
    tokens: createPrincipalTokens(new TextEncoder().encode(config.SUBGRAPH_SECRET)),
    audit,
  });
  closers.push(() => server.close());
  // The emulator delivers its webhooks to this subgraph, which serves their routes itself.
  emulator?.connectGateway?.(server.url.replace(/\/graphql$/, ''));
  logger.info({ subgraph: provider.name, url: server.url, ...(emulator ? { emulator: emulator.url } : {}) }, 'subgraph ready');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
