/**
 * A general Federation v2 gateway: `gateway --supergraph FILE [--port N] [--host H]` serves any supergraph.
 * Subgraph URLs come from the supergraph unless SUBGRAPH_URL_<NAME> overrides them.
 */
import { randomBytes } from 'node:crypto';
import type { DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providers } from '../app/providers.ts';
import { gatewayConfigSchema } from '../gateway/config.ts';
import { gatewayOptionsFromConfig } from '../gateway/options-from-config.ts';
import { isDefaultAccess } from '../gateway/authorize/policy.ts';
import { rulesForOwnSubgraphs } from '../gateway/authorize/own-subgraph-rules.ts';
import { subgraphHealthUrlsFromEnv, subgraphUrlsFromEnv } from '../gateway/engine/subgraph-endpoints.ts';
import { parseSupergraph, subgraphNames } from '../gateway/engine/supergraph.ts';
import { fetchSupergraph, pollSupergraphUrl, watchSupergraphFile } from '../gateway/supergraph-source.ts';
import { startGateway } from '../gateway/server.ts';
import { readConfig } from '../kit/config.ts';
import { createAuditLog } from '../kit/access/audit-log.ts';
import { createMetrics } from '../kit/metrics.ts';
import { createCacheStore } from '../kit/cache/create-cache-store.ts';
import { ConfigError } from '../kit/config.ts';
import { createLogger } from '../kit/logger.ts';
import { startTracing } from '../kit/tracing.ts';
import { createPrincipalTokens } from '../kit/access/principal-token.ts';
import { runUntilSignalled } from './run-until-signalled.ts';
import { openDatabaseFor } from '../kit/database/open-for-providers.ts';
import { withConnectedIdentities } from '../kit/connections/identities.ts';

const usage = [
  'usage: gateway (--supergraph FILE | --supergraph-url URL) [--port N] [--host HOST]',
  '               [--default-access deny|authenticated|public] [--poll-interval SECONDS] [--supergraph-header "Name: value"]...',
  '               [--persisted-documents FILE [--persisted-documents-only]] [--forward-header NAME]...',
  '  Serves any Federation v2 supergraph. A --supergraph FILE is watched, a --supergraph-url (a registry or CDN)',
  '  polled every --poll-interval seconds (default 10) with its ETag; a new valid supergraph replaces the served',
  '  one without dropping requests or subscriptions, an invalid one is refused and logged. Environment:',
  '  SUBGRAPH_URL_<NAME> (where subgraph <name> is reached), SUBGRAPH_HEALTH_URL_<NAME> (what readiness GETs',
  '  instead of asking it { __typename }), SUBGRAPH_SECRET (the secret the subgraphs verify; required in',
  '  production and for a supergraph with one of our subgraphs), JWT_*, GATEWAY_*, RATE_LIMIT_*, REDIS_URL,',
  '  LOG_LEVEL, NODE_ENV, CORS_ORIGINS (see README). Subgraphs named like our providers (s3, stripe, github,',
  '  twitter, connections, webhooks) get their access rules and need SUBGRAPH_SECRET; every',
  '  other root field gets --default-access (deny unless told otherwise). --persisted-documents: trusted',
  '  documents by id (GraphQL Code Generator\'s persisted-documents.json or an Apollo persisted query manifest);',
  '  with --persisted-documents-only, nothing else runs. --forward-header: a client header passed on to every',
  '  subgraph request (GATEWAY_FORWARD_HEADERS too), e.g. authorization or x-tenant-id.',
].join('\n');

function usageError(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

/** `Name: value` pairs, as curl's -H takes them. */
function headersOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const colon = pair.indexOf(':');
      if (colon <= 0) usageError(`--supergraph-header: "${pair}" is not "Name: value"`);
      return [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()];
    }),
  );
}

try {
  const { values } = parseArgs({
    options: {
      supergraph: { type: 'string' },
      'supergraph-url': { type: 'string' },
      'supergraph-header': { type: 'string', multiple: true, default: [] },
      'poll-interval': { type: 'string', default: '10' },
      port: { type: 'string' },
      host: { type: 'string' },
      'default-access': { type: 'string', default: 'deny' },
      'persisted-documents': { type: 'string' },
      'persisted-documents-only': { type: 'boolean' },
      'forward-header': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (!values.supergraph === !values['supergraph-url']) usageError('give exactly one of --supergraph FILE and --supergraph-url URL');
  const defaultAccess = values['default-access'];
  if (!isDefaultAccess(defaultAccess)) usageError(`--default-access: "${defaultAccess}" is not one of deny, authenticated, public`);
  const pollSeconds = Number(values['poll-interval']);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 1) usageError(`--poll-interval: "${values['poll-interval']}" is not a number of seconds (1 or more)`);
  const remote = values['supergraph-url'] ? { url: values['supergraph-url'], headers: headersOf(values['supergraph-header']) } : undefined;
  const config = readConfig(gatewayConfigSchema, {
    ...process.env,
    ...(values.port !== undefined ? { PORT: values.port } : {}),
    ...(values.host !== undefined ? { HOST: values.host } : {}),
    ...(values['persisted-documents'] !== undefined ? { GATEWAY_PERSISTED_DOCUMENTS: values['persisted-documents'] } : {}),
    ...(values['persisted-documents-only'] ? { GATEWAY_PERSISTED_DOCUMENTS_ONLY: 'true' } : {}),
    ...(values['forward-header'].length > 0 ? { GATEWAY_FORWARD_HEADERS: [process.env['GATEWAY_FORWARD_HEADERS'], ...values['forward-header']].filter(Boolean).join(',') } : {}),
  });
  // Before anything starts: a manifest that cannot be read stops start-up, naming it.
  const fromConfig = gatewayOptionsFromConfig(config);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'gateway' });
  // OTLP traces when the standard OTEL_* variables ask for them; nothing otherwise.
  const tracing = await startTracing(process.env, 'federation-gateway');
  const cacheStore = await createCacheStore({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const audit = createAuditLog({ logger, file: config.AUDIT_LOG_FILE });
  const where = remote?.url ?? values.supergraph!;
  const first = await (async () => {
    try {
      const loaded = remote ? await fetchSupergraph(remote) : { sdl: readFileSync(values.supergraph!, 'utf8'), etag: undefined };
      if (!loaded) throw new Error('answered 304 to a request without an ETag');
      return { ...loaded, document: parseSupergraph(loaded.sdl) };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  })();
  // Our subgraphs refuse a request the gateway did not sign with the secret they share; a graph with none of
  // them (someone else's) is served without one, its requests signed with a key of this process alone.
  const ownNames = new Set(providers.map((provider) => provider.name));
  const secretNeededBy = (supergraph: DocumentNode) => {
    const own = subgraphNames(supergraph).filter((name) => ownNames.has(name));
    if (!own.length) return undefined;
    const which = own.length === 1 ? `subgraph ${own[0]} is` : `subgraphs ${own.join(', ')} are`;
    return `SUBGRAPH_SECRET: required (${which} this project's, and refuse requests not signed with the secret shared with the gateway)`;
  };
  const missingSecret = config.SUBGRAPH_SECRET ? undefined : secretNeededBy(first.document);
  if (missingSecret) throw new ConfigError([missingSecret]);
  // Users' connected accounts are their linked identities, as under `npm start`: read from the connections
  // table the connections subgraph keeps in the same Postgres (DATABASE_URL). Opened with every provider's
  // migrations, as each process sharing it must be (Kysely refuses a list missing one it has run).
  const connections = providers.filter((provider) => provider.name === 'connections');
  const database = config.DATABASE_URL ? await openDatabaseFor(connections, config, logger, providers) : undefined;
  const gateway = await startGateway({
    supergraphSdl: first.sdl,
    subgraphUrls: subgraphUrlsFromEnv(process.env),
    subgraphHealthUrls: subgraphHealthUrlsFromEnv(process.env),
    host: config.HOST,
    port: config.PORT,
    logger,
    cacheStore,
    tokens: createPrincipalTokens(config.SUBGRAPH_SECRET ? new TextEncoder().encode(config.SUBGRAPH_SECRET) : randomBytes(32)),
    audit,
    metrics: createMetrics({ collectDefault: true }),
    // Any supergraph: our providers' rules on their own subgraphs' fields (a subgraph is taken for ours when
    // it carries one of our providers' names), the chosen default elsewhere. Derived again for each reload.
    accessRules: (supergraph) => rulesForOwnSubgraphs(supergraph, providers),
    ignoreRulesForMissingFields: true,
    defaultAccess,
    providerSubgraphs: providers.map((provider) => provider.name),
    ...fromConfig,
    authenticate: database ? withConnectedIdentities(fromConfig.authenticate, database, logger) : fromConfig.authenticate,
  });
  const reload = async (sdl: string) => {
    const missing = config.SUBGRAPH_SECRET ? undefined : secretNeededBy(parseSupergraph(sdl));
    if (missing) throw new Error(missing);
    await gateway.reload(sdl);
  };
  const refused = (error: Error) => logger.error({ source: where, error: { message: error.message } }, 'supergraph refused: the one already served stays');
  const source = remote
    ? pollSupergraphUrl(remote, { intervalMs: pollSeconds * 1000, etag: first.etag, onChange: reload, onError: refused })
    : watchSupergraphFile(values.supergraph!, { onChange: reload, onError: refused });
  logger.info({ url: gateway.url, subgraphs: Object.fromEntries(gateway.subgraphEndpoints) }, 'gateway ready');
  runUntilSignalled(
    async () => {
      source.stop();
      await gateway.close();
      await database?.close();
      await cacheStore.close();
      await audit.close();
      await tracing?.shutdown();
    },
    logger,
    { exitWithParent: true },
  );
} catch (error) {
  // A ConfigError's message lists every bad variable; other start-up errors (Redis unreachable) name theirs.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
