import { ConfigError, readConfig } from '../../kit/config.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { Database } from '../../kit/database/database.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Provider } from '../../kit/provider.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { webhooksAccess } from './access.ts';
import { webhooksConfigSchema, webhooksSettingsFromEnv, type WebhooksSettings } from './config.ts';
import type { WebhooksContext } from './context.ts';
import { startDeliveryWorker, type DeliveryWorker } from './delivery-worker.ts';
import { createEndpointStore } from './endpoints.ts';
import { startEventFeed, type EventFeed } from './event-feed.ts';
import { ENDPOINT_DISABLED_TYPE, WEBHOOKS_TOPIC } from './event-types.ts';
import { createWebhooksLoaders } from './loaders.ts';
import { createWebhookMetrics } from './metrics.ts';
import { createOutbox } from './outbox.ts';
import { createWebhooksResolvers } from './resolvers.ts';
import { startRetention, type Retention } from './retention.ts';
import { webhookMigrations, type WebhookTables } from './tables.ts';

export interface WebhooksSubgraphOptions {
  settings: WebhooksSettings;
  database: Database;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
}

export interface WebhooksSubgraph extends Subgraph<WebhooksContext> {
  readonly worker: DeliveryWorker;
  readonly feed: EventFeed;
  readonly retention: Retention;
}

/**
 * Outgoing webhooks: endpoints managed over GraphQL, domain events from the bus recorded in a durable
 * outbox, a delivery worker and the outbox's retention in this process (stopped by `close`). Any number of
 * replicas may run it on one Postgres database.
 */
export function createWebhooksSubgraph({ settings, database, eventBus, logger, metrics }: WebhooksSubgraphOptions): WebhooksSubgraph {
  const db = database.db.withTables<WebhookTables>();
  const subgraphLogger = logger.child({ subgraph: 'webhooks' });
  const endpoints = createEndpointStore(db);
  const outbox = createOutbox(db, settings);
  const webhookMetrics = createWebhookMetrics(metrics?.registry, () => outbox.backlog());
  const onDisable = async (endpointId: string, reason: 'gone' | 'failing') => {
    const disabled = await endpoints.disable(endpointId, reason);
    if (!disabled) return;
    subgraphLogger.warn({ endpointId, reason }, 'webhook endpoint disabled');
    const occurredAt = new Date().toISOString();
    await eventBus.publish(WEBHOOKS_TOPIC, {
      id: `${endpointId}:disabled:${occurredAt}`,
      provider: 'webhooks',
      type: ENDPOINT_DISABLED_TYPE,
      occurredAt,
      keys: { endpointId, ownerSubject: disabled.owner_subject, reason },
    });
  };
  const worker = startDeliveryWorker({ outbox, settings, logger: subgraphLogger, metrics: webhookMetrics, onDisable });
  const retention = startRetention({ outbox, retentionMs: settings.retentionMs, intervalMs: settings.pruneIntervalMs, logger: subgraphLogger, metrics: webhookMetrics });
  const feed = startEventFeed({ eventBus, endpoints, outbox, logger: subgraphLogger, onRecorded: () => worker.wake(), metrics: webhookMetrics });
  if (!database.shared) subgraphLogger.info('webhooks: outbox in the embedded database; set DATABASE_URL to deliver from several replicas');
  return {
    name: 'webhooks',
    typeDefs: loadSubgraphTypeDefs('webhooks'),
    resolvers: createWebhooksResolvers({ endpoints, outbox, settings, wake: () => worker.wake() }),
    createContext: createContextFactory({ logger: subgraphLogger, createLoaders: () => createWebhooksLoaders(outbox) }),
    worker,
    feed,
    retention,
    async health() {
      const started = performance.now();
      try {
        await outbox.backlog();
        return { ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch {
        return { ok: false, latencyMs: Math.round(performance.now() - started), detail: 'database unreachable' };
      }
    },
    async close() {
      await feed.close();
      await worker.stop();
      await retention.stop();
    },
  };
}

/** Outgoing webhooks as the application sees it: no external service, tables in the application's database. */
export const webhooksProvider: Provider = {
  name: 'webhooks',
  accessRules: webhooksAccess,
  migrations: webhookMigrations,
  usesRealService: () => true,
  configure(env) {
    const settings = webhooksSettingsFromEnv(readConfig(webhooksConfigSchema, env));
    return (deps) => {
      if (!deps.database) throw new ConfigError(['webhooks: needs the database (DATABASE_URL, or the embedded one under DATABASE_DIR)']);
      return createWebhooksSubgraph({ settings, ...deps, database: deps.database });
    };
  },
};
