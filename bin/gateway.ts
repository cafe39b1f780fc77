/**
 * A general Federation v2 gateway: `gateway --supergraph FILE [--port N] [--host H]` serves any supergraph.
 * Subgraph URLs come from the supergraph unless SUBGRAPH_URL_<NAME> overrides them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gatewayConfigSchema, gatewaySwitches } from '../gateway/config.ts';
import { authenticateFromConfig } from '../gateway/auth/settings.ts';
import { subgraphUrlsFromEnv } from '../gateway/execute/subgraph-endpoints.ts';
import { parseSupergraph } from '../gateway/execute/supergraph-schema.ts';
import { startGateway } from '../gateway/server.ts';
import { readConfig } from '../subgraphs/kit/config.ts';
import { createCacheStore } from '../subgraphs/kit/create-cache-store.ts';
import { createLogger } from '../subgraphs/kit/logger.ts';
import { runUntilSignalled } from './run-until-signalled.ts';

const usage = [
  'usage: gateway --supergraph FILE [--port N] [--host HOST]',
  '  Serves any Federation v2 supergraph. Environment: SUBGRAPH_URL_<NAME> (where subgraph <name> is reached),',
  '  REDIS_URL, LOG_LEVEL, NODE_ENV, GATEWAY_INTROSPECTION, GATEWAY_LANDING_PAGE, CORS_ORIGINS (see README).',
].join('\n');

try {
  const { values } = parseArgs({
    options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.supergraph) {
    process.stderr.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const config = readConfig(gatewayConfigSchema, {
    ...process.env,
    ...(values.port !== undefined ? { PORT: values.port } : {}),
    ...(values.host !== undefined ? { HOST: values.host } : {}),
  });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'gateway' });
  const cacheStore = await createCacheStore({ redisUrl: config.REDIS_URL, logger });
  const supergraphSdl = (() => {
    try {
      const sdl = readFileSync(values.supergraph, 'utf8');
      parseSupergraph(sdl);
      return sdl;
    } catch (error) {
      throw new Error(`${values.supergraph}: ${(error as Error).message}`);
    }
  })();
  const gateway = await startGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromEnv(process.env),
    host: config.HOST,
    port: config.PORT,
    logger,
    cacheStore,
    authenticate: authenticateFromConfig(config),
    ...gatewaySwitches(config),
  });
  logger.info({ url: gateway.url, subgraphs: Object.fromEntries(gateway.subgraphEndpoints) }, 'gateway ready');
  runUntilSignalled(async () => {
    await gateway.close();
    await cacheStore.close();
  }, logger);
} catch (error) {
  // A ConfigError's message lists every bad variable; other start-up errors (Redis unreachable) name theirs.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
