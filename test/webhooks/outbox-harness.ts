import { createMemoryEventBus } from '../../kit/events/memory-event-bus.ts';
import type { Database } from '../../kit/database/database.ts';
import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMetrics, type Metrics } from '../../kit/metrics.ts';
import type { Principal } from '../../kit/access/principal.ts';
import { defaultWebhooksSettings, type WebhooksSettings } from '../../subgraphs/webhooks/config.ts';
import { createEndpointStore } from '../../subgraphs/webhooks/endpoints.ts';
import { createWebhooksSubgraph, type WebhooksSubgraph } from '../../subgraphs/webhooks/index.ts';
import type { WebhookTables } from '../../subgraphs/webhooks/tables.ts';

/** Settings for tests: private addresses allowed (receivers are local), a compressed schedule, quick polling. */
export function testSettings(overrides: Partial<WebhooksSettings> = {}): WebhooksSettings {
  return defaultWebhooksSettings({
    allowPrivate: true,
    pollIntervalMs: 20,
    attemptTimeoutMs: 2_000,
    leaseMs: 10_000,
    schedule: { delaysMs: [10, 20, 40, 80], jitter: 0.2 },
    ...overrides,
  });
}

/** One replica's webhooks subgraph (feed and worker) over the given database and bus. */
export function startReplica(database: Database, eventBus: EventBus, settings: WebhooksSettings, metrics: Metrics = createMetrics()): WebhooksSubgraph {
  return createWebhooksSubgraph({ settings, database, eventBus, logger: createLogger({ level: 'silent', name: 'test' }), metrics });
}

export const newBus = () => createMemoryEventBus();

export function endpointsOf(database: Database) {
  return createEndpointStore(database.db.withTables<WebhookTables>());
}

export const ada: Principal = { subject: 'ada', scopes: ['payments:read', 'social:read', 'storage:read', 'webhooks:write'], customerId: 'cus_ada', storagePrefix: 'customers/ada/' };
export const bob: Principal = { subject: 'bob', scopes: ['payments:read', 'webhooks:write'], customerId: 'cus_bob' };

let sequence = 0;
export function paymentEvent(customerId: string, type = 'payment.succeeded'): DomainEvent {
  sequence++;
  return { id: `evt_${process.pid}_${sequence}`, provider: 'stripe', type, occurredAt: new Date().toISOString(), keys: { customerId, paymentIntentId: `pi_${sequence}` } };
}

/** Waits (bounded) until the async `find` finds something; the assertion is on what is found, never on time. */
export async function until<T>(find: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
