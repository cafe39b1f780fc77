/**
 * A general Federation v2 gateway: `gateway --supergraph FILE [--port N] [--host H]` serves any supergraph.
 * Subgraph URLs come from the supergraph unless SUBGRAPH_URL_<NAME> overrides them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providers } from '../app/providers.ts';
import { gatewayConfigSchema } from '../gateway/config.ts';
import { gatewayOptionsFromConfig } from '../gateway/options-from-config.ts';
import { isDefaultAccess } from '../gateway/authorize/policy.ts';
import { rulesForOwnSubgraphs } from '../gateway/authorize/own-subgraph-rules.ts';
import { subgraphUrlsFromEnv } from '../gateway/engine/subgraph-endpoints.ts';
import { parseSupergraph, subgraphNames } from '../gateway/engine/supergraph.ts';
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
  'usage: gateway --supergraph FILE [--port N] [--host HOST] [--default-access deny|authenticated|public]',
  '  Serves any Federation v2 supergraph. Environment: SUBGRAPH_URL_<NAME> (where subgraph <name> is reached),',
  '  SUBGRAPH_SECRET (required: the secret the subgraphs verify), JWT_*, GATEWAY_*, RATE_LIMIT_*, REDIS_URL,',
  '  LOG_LEVEL, NODE_ENV, CORS_ORIGINS (see README). Subgraphs named like our providers (s3, stripe, github,',
  '  twitter) get their access rules; every other root field gets --default-access (deny unless told otherwise).',
].join('\n');

try {
  const { values } = parseArgs({
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'default-access': { type: 'string', default: 'deny' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.supergraph) {
    process.stderr.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const defaultAccess = values['default-access'];
  if (!isDefaultAccess(defaultAccess)) {
    process.stderr.write(`--default-access: "${defaultAccess}" is not one of deny, authenticated, public\n${usage}\n`);
    process.exit(2);
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
  const { supergraphSdl, supergraph } = (() => {
    try {
      const sdl = readFileSync(values.supergraph, 'utf8');
      return { supergraphSdl: sdl, supergraph: parseSupergraph(sdl) };
    } catch (error) {
      throw new Error(`${values.supergraph}: ${(error as Error).message}`);
    }
  })();
  // A subgraph is taken for ours when it carries one of our providers' names: only there do our rules apply.
  const names = new Set(subgraphNames(supergraph));
  const ownProviders = providers.filter((provider) => names.has(provider.name));
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
    // Any supergraph: our providers' rules on their own subgraphs' fields, the chosen default elsewhere.
    accessRules: rulesForOwnSubgraphs(supergraph, ownProviders),
    ignoreRulesForMissingFields: true,
    defaultAccess,
    providerSubgraphs: ownProviders.map((provider) => provider.name),
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
