/**
 * A general Federation v2 gateway: `gateway --supergraph FILE [--port N] [--host H]` serves any supergraph.
 * Subgraph URLs come from the supergraph unless SUBGRAPH_URL_<NAME> overrides them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providers } from '../app/providers.ts';
import { gatewayConfigSchema } from '../gateway/config.ts';
import { accessRulesOf, gatewayOptionsFromConfig } from '../gateway/options-from-config.ts';
import { subgraphUrlsFromEnv } from '../gateway/engine/subgraph-endpoints.ts';
import { parseSupergraph } from '../gateway/engine/supergraph.ts';
import { startGateway } from '../gateway/server.ts';
import { readConfig } from '../kit/config.ts';
import { createAuditLog } from '../kit/access/audit-log.ts';
import { createMetrics } from '../kit/metrics.ts';
import { createCacheStore } from '../kit/cache/create-cache-store.ts';
import { ConfigError } from '../kit/config.ts';
import { createLogger } from '../kit/logger.ts';
import { createPrincipalTokens } from '../kit/access/principal-token.ts';
import { runUntilSignalled } from './run-until-signalled.ts';

const usage = [
  'usage: gateway --supergraph FILE [--port N] [--host HOST]',
  '  Serves any Federation v2 supergraph. Environment: SUBGRAPH_URL_<NAME> (where subgraph <name> is reached),',
  '  SUBGRAPH_SECRET (required: the secret the subgraphs verify), JWT_*, GATEWAY_*, RATE_LIMIT_*, REDIS_URL,',
  '  LOG_LEVEL, NODE_ENV, CORS_ORIGINS (see README). Root fields without an access rule of ours are denied.',
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
  if (!config.SUBGRAPH_SECRET) throw new ConfigError(['SUBGRAPH_SECRET: required (the secret shared with the subgraphs, which refuse unsigned requests)']);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'gateway' });
  const cacheStore = await createCacheStore({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const audit = createAuditLog({ logger, file: config.AUDIT_LOG_FILE });
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
    tokens: createPrincipalTokens(new TextEncoder().encode(config.SUBGRAPH_SECRET)),
    audit,
    metrics: createMetrics({ collectDefault: true }),
    // Any supergraph: our providers' rules where its fields are ours, every other root field denied.
    accessRules: accessRulesOf(providers),
    ignoreRulesForMissingFields: true,
    ...gatewayOptionsFromConfig(config),
  });
  logger.info({ url: gateway.url, subgraphs: Object.fromEntries(gateway.subgraphEndpoints) }, 'gateway ready');
  runUntilSignalled(async () => {
    await gateway.close();
    await cacheStore.close();
    await audit.close();
  }, logger);
} catch (error) {
  // A ConfigError's message lists every bad variable; other start-up errors (Redis unreachable) name theirs.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
