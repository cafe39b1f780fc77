import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createProviderPolicy } from '../../kit/resilience/resilience.ts';
import { defaultResilience, resilienceFromEnv, type ResilienceConfig } from '../../kit/resilience/resilience-config.ts';
import { classifyFetchFailure } from '../../kit/resilience/policy-fetch.ts';
import { ConfigError, readConfig } from '../../kit/config.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Provider } from '../../kit/provider.ts';
import { githubAccess } from './access.ts';
import { createEventStreams } from '../../kit/events/event-streams.ts';
import { createProviderCache } from '../../kit/cache/provider-cache.ts';
import { createProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { createQuotaTracker, createQuotaTrackers } from '../../kit/resilience/quota.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { githubCachePolicy } from './cache-policy.ts';
import { createGitHubClient } from './client.ts';
import { githubConfigSchema, githubSettingsFromEnv, hasRealGitHubToken, type GitHubSettings } from './config.ts';
import type { GithubContext } from './context.ts';
import { checkGitHubHealth } from './health.ts';
import { createGitHubLoaders } from './loaders.ts';
import { createGitHubResolvers } from './resolvers/index.ts';
import { createGitHubWebhook, SOCIAL_TOPIC } from './webhooks.ts';
import type { AuditLog } from '../../kit/access/audit-log.ts';
import { keyringFromEnv } from '../../kit/connections/config.ts';
import type { Keyring } from '../../kit/connections/keyring.ts';
import { connectionMigrations } from '../../kit/connections/tables.ts';
import { createTokenVault } from '../../kit/connections/vault.ts';
import type { Database } from '../../kit/database/database.ts';
import { createGitHubOAuthProvider, githubOAuthSettingsFromEnv, type GitHubOAuthSettings } from './oauth.ts';

export interface GitHubSubgraphOptions {
  settings: GitHubSettings;
  resilience?: ResilienceConfig;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Users' connected GitHub accounts: with them, stars, issues and private reads act as the caller's own account. */
  connections?: { oauth: GitHubOAuthSettings; keyring: Keyring; database: Database | undefined; audit?: AuditLog | undefined } | undefined;
}

/** The GitHub subgraph: users and repositories through GitHub's GraphQL API, batched with aliases. */
export function createGitHubSubgraph({ settings, resilience = defaultResilience({ sdkRetries: false }), cacheStore, eventBus, logger, metrics, connections }: GitHubSubgraphOptions): Subgraph<GithubContext> {
  // The app token's window, the only one on the quota gauge; connected users' windows are their own (GitHub
  // keeps one per user) and tracked apart, bounded, with no label per user.
  const quota = createQuotaTracker({ provider: 'github', onReading: (resource, reading) => metrics?.setQuotaRemaining('github', resource, reading.remaining) });
  const userQuotas = createQuotaTrackers({ provider: 'github' });
  const requestLog = createProviderRequestLog();
  const policy = createProviderPolicy({ provider: 'github', metrics, settings: resilience.settings, classify: classifyFetchFailure });
  const client = createGitHubClient(settings, quota, requestLog, policy);
  const cache = createProviderCache({ keyv: cacheStore.namespace('github'), policy: githubCachePolicy, staleMs: resilience.staleMs, ttlScale: resilience.ttlScale, onStale: requestLog.recordStale,
    onLookup: (kind, result) => metrics?.recordCacheLookup('github', kind, result) });
  const subgraphLogger = logger.child({ subgraph: 'github' });
  const streams = createEventStreams({ eventBus, topics: [SOCIAL_TOPIC] });
  const webhook = settings.webhookSecret
    ? createGitHubWebhook({ secret: settings.webhookSecret, cache, cacheStore, eventBus, logger: subgraphLogger, metrics })
    : undefined;
  if (!webhook) subgraphLogger.warn('GITHUB_WEBHOOK_SECRET is not set: /webhooks/github is not served');
  const vault = connections?.database
    ? createTokenVault({ database: connections.database, keyring: connections.keyring, provider: createGitHubOAuthProvider(connections.oauth), logger: subgraphLogger, audit: connections.audit })
    : undefined;
  return {
    name: 'github',
    requestLog,
    policy,
    typeDefs: loadSubgraphTypeDefs('github'),
    resolvers: createGitHubResolvers({ streams, client, quota, userQuotas, cache, vault }),
    createContext: createContextFactory({
      logger: subgraphLogger,
      createLoaders: () => createGitHubLoaders({ client, quota, cache, logger: subgraphLogger }),
    }),
    webhooks: webhook ? [webhook] : [],
    health: () => checkGitHubHealth(client),
    async close() {
      streams.close();
      await webhook?.drain();
    },
  };
}

/** GitHub as the application sees it: configured from GITHUB_* variables. */
export const githubProvider: Provider = {
  name: 'github',
  accessRules: githubAccess,
  usesRealService: hasRealGitHubToken,
  // Its users' tokens live in the connections tables (declared here too, for a github subgraph run alone).
  migrations: connectionMigrations,
  configure(env) {
    const settings = githubSettingsFromEnv(readConfig(githubConfigSchema, env));
    if (!settings) throw new ConfigError(['GITHUB_TOKEN: required (or leave every GITHUB_ variable unset to use the emulator)']);
    // Octokit never retries, so idempotent queries are retried here.
    const resilience = resilienceFromEnv(env, { sdkRetries: false });
    const oauth = githubOAuthSettingsFromEnv(env);
    const keyring = oauth ? keyringFromEnv(env) : undefined;
    return (deps) =>
      createGitHubSubgraph({ settings, resilience, ...deps, connections: oauth && keyring ? { oauth, keyring, database: deps.database, audit: deps.audit } : undefined });
  },
};
