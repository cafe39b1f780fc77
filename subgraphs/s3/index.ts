import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createProviderPolicy, classifyByCode } from '../../kit/resilience/resilience.ts';
import { defaultResilience, resilienceFromEnv, type ResilienceConfig } from '../../kit/resilience/resilience-config.ts';
import { silentLogger } from '../../kit/logger.ts';
import { toGraphQLError } from './errors.ts';
import { readConfig } from '../../kit/config.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import { createEventStreams } from '../../kit/events/event-streams.ts';
import { createProviderCache } from '../../kit/cache/provider-cache.ts';
import { createProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Provider } from '../../kit/provider.ts';
import { s3Access } from './access.ts';
import { STORAGE_TOPIC } from './object-events.ts';
import { createObjectEviction, createS3Webhook } from './webhooks.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { s3CachePolicy } from './cache-policy.ts';
import { createS3Client } from './client.ts';
import { hasRealS3Credentials, s3ConfigSchema, s3SettingsFromEnv, type S3Settings } from './config.ts';
import type { S3Context } from './context.ts';
import { checkS3Health } from './health.ts';
import { createListings } from './listings.ts';
import { createS3Loaders } from './loaders.ts';
import { createS3Resolvers } from './resolvers/index.ts';

export type { S3Settings } from './config.ts';

export interface S3SubgraphOptions {
  settings: S3Settings;
  resilience?: ResilienceConfig;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
}

/** The storage subgraph: buckets and objects of S3 (or any S3-compatible store). */
export function createS3Subgraph({ settings, resilience = defaultResilience({ sdkRetries: true }), cacheStore, eventBus, logger, metrics }: S3SubgraphOptions): Subgraph<S3Context> {
  const requestLog = createProviderRequestLog();
  const policy = createProviderPolicy({ provider: 's3', metrics, settings: resilience.settings, classify: classifyByCode((error) => toGraphQLError(error, silentLogger)) });
  const s3 = createS3Client(settings, requestLog, policy);
  const cache = createProviderCache({ keyv: cacheStore.namespace('s3'), policy: s3CachePolicy, staleMs: resilience.staleMs, ttlScale: resilience.ttlScale, onStale: requestLog.recordStale,
    onLookup: (kind, result) => metrics?.recordCacheLookup('s3', kind, result) });
  const listings = createListings({ s3, cache });
  const subgraphLogger = logger.child({ subgraph: 's3' });
  const streams = createEventStreams({ eventBus, topics: [STORAGE_TOPIC] });
  // Uploads go straight to S3; its notifications (through SNS) evict what they changed and feed subscriptions.
  const webhook = settings.snsTopicArns?.length
    ? createS3Webhook({
        cacheStore,
        eventBus,
        logger: subgraphLogger,
        evict: createObjectEviction({ cache, listings }),
        topicArns: settings.snsTopicArns,
        allowedCertHosts: settings.snsCertHosts,
        buckets: settings.buckets,
        metrics,
      })
    : undefined;
  return {
    name: 's3',
    requestLog,
    policy,
    typeDefs: loadSubgraphTypeDefs('s3'),
    resolvers: createS3Resolvers({ s3, settings, listings, cache, streams }),
    createContext: createContextFactory({
      logger: subgraphLogger,
      createLoaders: () => createS3Loaders({ s3, cache, logger: subgraphLogger }),
    }),
    webhooks: webhook ? [webhook] : [],
    health: () => checkS3Health(s3, settings.buckets),
    async close() {
      streams.close();
      await webhook?.drain();
      s3.destroy();
    },
  };
}

/** S3 as the application sees it: configured from S3_* variables. */
export const s3Provider: Provider = {
  name: 's3',
  accessRules: s3Access,
  usesRealService: hasRealS3Credentials,
  configure(env) {
    const settings = s3SettingsFromEnv(readConfig(s3ConfigSchema, env));
    // The AWS SDK retries by itself: nothing is retried on top.
    const resilience = resilienceFromEnv(env, { sdkRetries: true });
    return (deps) => createS3Subgraph({ settings, resilience, ...deps });
  },
};
