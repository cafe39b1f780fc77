import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS } from '../../kit/metrics.ts';

export type DeliveryResult = 'succeeded' | 'failed' | 'timeout' | 'blocked' | 'gone';

export interface WebhookMetrics {
  recordAttempt(result: DeliveryResult, seconds: number): void;
  /** Messages deleted past retention (retention.ts). */
  recordPruned(messages: number): void;
  /** Events received from the bus and not yet in the outbox (+n as they arrive, -n once recorded or dropped). */
  addUnrecorded(events: number): void;
  /** Events dropped before reaching the outbox (the feed's buffer full while the database was unreachable, or shutdown). */
  recordDropped(events: number): void;
}

/**
 * fgw_webhook_deliveries_total{result}, fgw_webhook_delivery_duration_seconds, fgw_webhook_pruned_messages_total,
 * fgw_webhook_events_unrecorded, fgw_webhook_events_dropped_total, and, read from the outbox at
 * each scrape, fgw_webhook_queue_depth and fgw_webhook_oldest_pending_seconds. Registered once per registry
 * (several webhooks subgraphs in one process share them).
 */
export function createWebhookMetrics(registry: Registry | undefined, backlog: () => Promise<{ depth: number; oldestPendingSeconds: number }>): WebhookMetrics {
  if (!registry) return { recordAttempt: () => {}, recordPruned: () => {}, addUnrecorded: () => {}, recordDropped: () => {} };
  const registers = [registry];
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  const deliveries =
    existing<Counter<'result'>>('fgw_webhook_deliveries_total') ??
    new Counter({ name: 'fgw_webhook_deliveries_total', help: 'Outgoing webhook delivery attempts, by result.', labelNames: ['result'] as const, registers });
  const duration =
    existing<Histogram>('fgw_webhook_delivery_duration_seconds') ??
    new Histogram({ name: 'fgw_webhook_delivery_duration_seconds', help: 'Time from sending an outgoing webhook to its answer.', buckets: [...DURATION_BUCKETS, 15, 30], registers });
  const pruned =
    existing<Counter>('fgw_webhook_pruned_messages_total') ??
    new Counter({ name: 'fgw_webhook_pruned_messages_total', help: 'Finished outgoing webhook messages deleted past retention, with their deliveries and attempts.', registers });
  const unrecorded =
    existing<Gauge>('fgw_webhook_events_unrecorded') ??
    new Gauge({ name: 'fgw_webhook_events_unrecorded', help: 'Events received for outgoing webhooks and not yet recorded in the outbox (held while the database is unreachable).', registers });
  const dropped =
    existing<Counter>('fgw_webhook_events_dropped_total') ??
    new Counter({ name: 'fgw_webhook_events_dropped_total', help: 'Events for outgoing webhooks dropped before reaching the outbox (buffer full while the database was unreachable, or shut down meanwhile).', registers });
  let pending: Promise<{ depth: number; oldestPendingSeconds: number }> | undefined;
  // One query per scrape for both gauges; a failing database reads as nothing rather than failing the scrape.
  const read = () => (pending ??= backlog().catch(() => ({ depth: 0, oldestPendingSeconds: 0 })).finally(() => setTimeout(() => (pending = undefined), 0)));
  if (!existing('fgw_webhook_queue_depth')) {
    new Gauge({
      name: 'fgw_webhook_queue_depth',
      help: 'Outgoing webhook deliveries waiting or in flight.',
      registers,
      async collect() {
        this.set((await read()).depth);
      },
    });
    new Gauge({
      name: 'fgw_webhook_oldest_pending_seconds',
      help: 'Age of the oldest outgoing webhook delivery still pending.',
      registers,
      async collect() {
        this.set((await read()).oldestPendingSeconds);
      },
    });
  }
  return {
    recordAttempt: (result, seconds) => (deliveries.inc({ result }), duration.observe(seconds)),
    recordPruned: (messages) => pruned.inc(messages),
    addUnrecorded: (events) => unrecorded.inc(events),
    recordDropped: (events) => dropped.inc(events),
  };
}
