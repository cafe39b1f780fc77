import type { CacheStore } from '../kit/cache-store.ts';
import { ConfigError, readConfig } from '../kit/config.ts';
import { createContextFactory } from '../kit/context.ts';
import type { EventBus } from '../kit/event-bus.ts';
import type { Logger } from '../kit/logger.ts';
import type { Provider } from '../kit/provider.ts';
import { githubAccess } from './access.ts';
import { createEventStreams } from '../kit/event-streams.ts';
import { createProviderCache } from '../kit/provider-cache.ts';
import { createProviderRequestLog } from '../kit/provider-request-log.ts';
import { createQuotaTracker } from '../kit/quota.ts';
import { loadSubgraphTypeDefs } from '../kit/sdl.ts';
import type { Subgraph } from '../kit/subgraph.ts';
import { githubCachePolicy } from './cache-policy.ts';
import { createGitHubClient } from './client.ts';
import { githubConfigSchema, githubSettingsFromEnv, hasRealGitHubToken, type GitHubSettings } from './config.ts';
import type { GithubContext } from './context.ts';
import { checkGitHubHealth } from './health.ts';
import { createGitHubLoaders } from './loaders.ts';
import { createGitHubResolvers } from './resolvers/index.ts';
import { createGitHubWebhook, SOCIAL_TOPIC } from './webhooks.ts';

export interface GitHubSubgraphOptions {
  settings: GitHubSettings;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
}

/** The GitHub subgraph: users and repositories through GitHub's GraphQL API, batched with aliases. */
export function createGitHubSubgraph({ settings, cacheStore, eventBus, logger }: GitHubSubgraphOptions): Subgraph<GithubContext> {
  const quota = createQuotaTracker({ provider: 'github' });
  const requestLog = createProviderRequestLog();
  const client = createGitHubClient(settings, quota, requestLog);
  const cache = createProviderCache({ keyv: cacheStore.namespace('github'), policy: githubCachePolicy });
  const subgraphLogger = logger.child({ subgraph: 'github' });
  const streams = createEventStreams({ eventBus, topics: [SOCIAL_TOPIC] });
  const webhook = settings.webhookSecret
    ? createGitHubWebhook({ secret: settings.webhookSecret, cache, cacheStore, eventBus, logger: subgraphLogger })
    : undefined;
  if (!webhook) subgraphLogger.warn('GITHUB_WEBHOOK_SECRET is not set: /webhooks/github is not served');
  return {
    name: 'github',
    requestLog,
    typeDefs: loadSubgraphTypeDefs('github'),
    resolvers: createGitHubResolvers({ streams, client, quota, cache }),
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
  configure(env) {
    const settings = githubSettingsFromEnv(readConfig(githubConfigSchema, env));
    if (!settings) throw new ConfigError(['GITHUB_TOKEN: required (or leave every GITHUB_ variable unset to use the emulator)']);
    return (deps) => createGitHubSubgraph({ settings, ...deps });
  },
};
