import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createCallGuard } from '../../kit/resilience/call-guard.ts';
import { createProviderPolicy, classifyByCode } from '../../kit/resilience/resilience.ts';
import { defaultResilience, resilienceFromEnv, type ResilienceConfig } from '../../kit/resilience/resilience-config.ts';
import { silentLogger } from '../../kit/logger.ts';
import { toGraphQLError } from './errors.ts';
import { ConfigError, readConfig } from '../../kit/config.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import { createGenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Provider } from '../../kit/provider.ts';
import { twitterAccess } from './access.ts';
import { createEventStreams } from '../../kit/events/event-streams.ts';
import { createProviderCache } from '../../kit/cache/provider-cache.ts';
import { createProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { createQuotaTracker, createQuotaTrackers, type QuotaTracker } from '../../kit/resilience/quota.ts';
import { userAndAppQuota } from './quota-plugin.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { twitterCachePolicy } from './cache-policy.ts';
import { createTwitterClients } from './client.ts';
import { hasRealTwitterToken, twitterConfigSchema, twitterSettingsFromEnv, type TwitterSettings } from './config.ts';
import type { TwitterContext } from './context.ts';
import { checkTwitterHealth } from './health.ts';
import { createTwitterLoaders } from './loaders.ts';
import { createTwitterResolvers } from './resolvers/index.ts';
import { createTwitterWebhook, crcRoute, SOCIAL_TOPIC } from './webhooks.ts';
import type { AuditLog } from '../../kit/access/audit-log.ts';
import { keyringFromEnv } from '../../kit/connections/config.ts';
import type { Keyring } from '../../kit/connections/keyring.ts';
import { connectionMigrations } from '../../kit/connections/tables.ts';
import { createTokenVault } from '../../kit/connections/vault.ts';
import type { Database } from '../../kit/database/database.ts';
import { createXOAuthProvider, xOAuthSettingsFromEnv, type XOAuthSettings } from './oauth.ts';

export interface TwitterSubgraphOptions {
  settings: TwitterSettings;
  resilience?: ResilienceConfig;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Users' connected X accounts: with them, posting and deleting act as the caller's own account. */
  connections?: { oauth: XOAuthSettings; keyring: Keyring; database: Database | undefined; audit?: AuditLog | undefined } | undefined;
}

/** The X (Twitter) subgraph: accounts and posts through API v2, users batched 100 per lookup. */
export function createTwitterSubgraph({ settings, resilience = defaultResilience({ sdkRetries: false }), cacheStore, eventBus, logger, metrics, connections }: TwitterSubgraphOptions): Subgraph<TwitterContext> {
  const quota = createQuotaTracker({ provider: 'twitter', onReading: (resource, reading) => metrics?.setQuotaRemaining('twitter', resource, reading.remaining) });
  const requestLog = createProviderRequestLog();
  const clients = createTwitterClients(settings, quota, requestLog);
  const policy = createProviderPolicy({
    provider: 'twitter',
    metrics,
    settings: resilience.settings,
    classify: classifyByCode((error) => toGraphQLError(error, silentLogger)),
  });
  const guard = createCallGuard(quota, policy);
  // Connected users' windows: one tracker each, never on the gauge (a label per user would be unbounded).
  const userQuotas = createQuotaTrackers({ provider: 'twitter' });
  const userGuard = (userQuota: QuotaTracker) => createCallGuard(userAndAppQuota(userQuota, quota), policy);
  const cache = createProviderCache({ keyv: cacheStore.namespace('twitter'), policy: twitterCachePolicy, staleMs: resilience.staleMs, ttlScale: resilience.ttlScale, onStale: requestLog.recordStale,
    onLookup: (kind, result) => metrics?.recordCacheLookup('twitter', kind, result) });
  const timelines = createGenerationalLists({ cache, pageKind: 'timelinePage', generationKind: 'timelineGeneration' });
  const subgraphLogger = logger.child({ subgraph: 'twitter' });
  const streams = createEventStreams({ eventBus, topics: [SOCIAL_TOPIC] });
  const webhook = settings.consumerSecret
    ? createTwitterWebhook({ consumerSecret: settings.consumerSecret, cache, timelines, cacheStore, eventBus, logger: subgraphLogger, metrics })
    : undefined;
  if (!webhook) subgraphLogger.warn('TWITTER_CONSUMER_SECRET is not set: /webhooks/twitter is not served');
  const oauth = connections?.database ? createXOAuthProvider(connections.oauth) : undefined;
  const vault =
    connections?.database && oauth
      ? createTokenVault({ database: connections.database, keyring: connections.keyring, provider: oauth, logger: subgraphLogger, audit: connections.audit })
      : undefined;
  return {
    name: 'twitter',
    requestLog,
    policy,
    typeDefs: loadSubgraphTypeDefs('twitter'),
    resolvers: createTwitterResolvers({ streams, clients, guard, userQuotas, userGuard, cache, timelines, vault }),
    createContext: createContextFactory({
      logger: subgraphLogger,
      createLoaders: () => createTwitterLoaders({ reader: clients.reader, guard, cache, timelines, logger: subgraphLogger }),
    }),
    webhooks: webhook && settings.consumerSecret ? [crcRoute(settings.consumerSecret), webhook] : [],
    health: async () => checkTwitterHealth(quota),
    async close() {
      streams.close();
      await webhook?.drain();
      clients.close();
      oauth?.close();
    },
  };
}

/** X as the application sees it: configured from TWITTER_* variables. */
export const twitterProvider: Provider = {
  name: 'twitter',
  accessRules: twitterAccess,
  usesRealService: hasRealTwitterToken,
  // Its users' tokens live in the connections tables (declared here too, for a twitter subgraph run alone).
  migrations: connectionMigrations,
  configure(env) {
    const settings = twitterSettingsFromEnv(readConfig(twitterConfigSchema, env));
    if (!settings) throw new ConfigError(['TWITTER_BEARER_TOKEN: required (or leave every TWITTER_ variable unset to use the emulator)']);
    // twitter-api-v2 never retries, so idempotent reads are retried here.
    const resilience = resilienceFromEnv(env, { sdkRetries: false });
    const oauth = xOAuthSettingsFromEnv(env);
    const keyring = oauth ? keyringFromEnv(env) : undefined;
    return (deps) =>
      createTwitterSubgraph({ settings, resilience, ...deps, connections: oauth && keyring ? { oauth, keyring, database: deps.database, audit: deps.audit } : undefined });
  },
};
