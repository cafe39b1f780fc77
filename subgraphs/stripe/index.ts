import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createProviderPolicy } from '../../kit/resilience/resilience.ts';
import { defaultResilience, resilienceFromEnv, type ResilienceConfig } from '../../kit/resilience/resilience-config.ts';
import { classifyFetchFailure } from '../../kit/resilience/policy-fetch.ts';
import { readConfig } from '../../kit/config.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import { createEventStreams } from '../../kit/events/event-streams.ts';
import { createGenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Provider } from '../../kit/provider.ts';
import { stripeAccess } from './access.ts';
import { createProviderCache } from '../../kit/cache/provider-cache.ts';
import { createProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { ConfigError } from '../../kit/config.ts';
import { stripeCachePolicy } from './cache-policy.ts';
import { createStripeClient } from './client.ts';
import { hasRealStripeKey, stripeConfigSchema, stripeSettingsFromEnv, type StripeSettings } from './config.ts';
import type { StripeContext } from './context.ts';
import { PAYMENTS_TOPIC } from './events.ts';
import { createEvictions } from './evictions.ts';
import { checkStripeHealth } from './health.ts';
import { createStripeLoaders } from './loaders.ts';
import { createStripeResolvers } from './resolvers/index.ts';
import { createStripeWebhook } from './webhooks.ts';

export type { StripeSettings } from './config.ts';
export { STRIPE_API_VERSION } from './client.ts';

export interface StripeSubgraphOptions {
  settings: StripeSettings;
  resilience?: ResilienceConfig;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
}

/** The payments subgraph: customers, payment intents, refunds, the catalogue, billing subscriptions, invoices. */
export function createStripeSubgraph({ settings, resilience = defaultResilience({ sdkRetries: true }), cacheStore, eventBus, logger, metrics }: StripeSubgraphOptions): Subgraph<StripeContext> {
  const requestLog = createProviderRequestLog();
  const policy = createProviderPolicy({ provider: 'stripe', metrics, settings: resilience.settings, classify: classifyFetchFailure });
  const stripe = createStripeClient(settings, requestLog, policy);
  const cache = createProviderCache({ keyv: cacheStore.namespace('stripe'), policy: stripeCachePolicy, staleMs: resilience.staleMs, ttlScale: resilience.ttlScale, onStale: requestLog.recordStale,
    onLookup: (kind, result) => metrics?.recordCacheLookup('stripe', kind, result) });
  const lists = createGenerationalLists({ cache, pageKind: 'listPage', generationKind: 'listGeneration' });
  const evictions = createEvictions({ cache, lists });
  const streams = createEventStreams({ eventBus, topics: [PAYMENTS_TOPIC] });
  const subgraphLogger = logger.child({ subgraph: 'stripe' });
  const webhook = settings.webhookSecret
    ? createStripeWebhook({ stripe, secret: settings.webhookSecret, cacheStore, evictions, eventBus, logger: subgraphLogger, metrics })
    : undefined;
  if (!webhook) subgraphLogger.warn('STRIPE_WEBHOOK_SECRET is not set: /webhooks/stripe is not served, cached objects live out their TTL');
  return {
    name: 'stripe',
    requestLog,
    policy,
    typeDefs: loadSubgraphTypeDefs('stripe'),
    resolvers: createStripeResolvers({ stripe, cache, lists, evictions, streams }),
    createContext: createContextFactory({
      logger: subgraphLogger,
      createLoaders: () => createStripeLoaders({ stripe, cache, logger: subgraphLogger }),
    }),
    webhooks: webhook ? [webhook] : [],
    health: () => checkStripeHealth(stripe),
    async close() {
      streams.close();
      await webhook?.drain();
    },
  };
}

/** Stripe as the application sees it: configured from STRIPE_* variables. */
export const stripeProvider: Provider = {
  name: 'stripe',
  accessRules: stripeAccess,
  usesRealService: hasRealStripeKey,
  configure(env) {
    const settings = stripeSettingsFromEnv(readConfig(stripeConfigSchema, env));
    if (!settings) throw new ConfigError(['STRIPE_SECRET_KEY: required (or leave every STRIPE_ variable unset to use the emulator)']);
    // stripe-node retries by itself, with the same idempotency key: nothing is retried on top.
    const resilience = resilienceFromEnv(env, { sdkRetries: true });
    return (deps) => createStripeSubgraph({ settings, resilience, ...deps });
  },
};
