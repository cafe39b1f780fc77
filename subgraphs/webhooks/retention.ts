import type { Logger } from '../../kit/logger.ts';
import type { WebhookMetrics } from './metrics.ts';
import type { Outbox } from './outbox.ts';

export interface Retention {
  /** Deletes what is past retention now, in batches, and says how much. */
  pruneNow(): Promise<{ messages: number; deliveries: number }>;
  /** No further runs; waits for one in progress. */
  stop(): Promise<void>;
}

export interface RetentionOptions {
  outbox: Pick<Outbox, 'prune'>;
  retentionMs: number;
  intervalMs: number;
  logger: Logger;
  metrics: WebhookMetrics;
  now?: () => number;
}

/** Messages per transaction: short transactions, so claims and enqueues never wait long behind a prune. */
const BATCH = 500;
/** At most this many batches per run; whatever is left waits for the next run. */
const MAX_BATCHES_PER_RUN = 200;

/**
 * Keeps the outbox from growing without bound: once at start and then every `intervalMs`, finished messages
 * older than `retentionMs` go, with their deliveries and attempts (Svix and Stripe keep theirs 30 days by
 * default). Every replica runs it; they skip each other's rows. A failing run (the database away) is logged
 * and tried again at the next interval.
 */
export function startRetention({ outbox, retentionMs, intervalMs, logger, metrics, now = Date.now }: RetentionOptions): Retention {
  let stopped = false;
  /** The run in progress, if any: a run that outlasts the interval is not joined by another. */
  let running: Promise<unknown> | undefined;

  const pruneNow = async () => {
    const before = new Date(now() - retentionMs);
    const total = { messages: 0, deliveries: 0 };
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !stopped; batch++) {
      const pruned = await outbox.prune(before, BATCH);
      total.messages += pruned.messages;
      total.deliveries += pruned.deliveries;
      metrics.recordPruned(pruned.messages);
      if (pruned.messages < BATCH) break;
    }
    if (total.messages > 0) logger.info({ ...total, before: before.toISOString() }, 'webhooks: pruned finished messages past retention');
    return total;
  };

  const run = () => {
    running ??= pruneNow()
      .catch((err: unknown) => logger.warn({ err }, 'webhooks: pruning old messages failed; trying again at the next interval'))
      .finally(() => (running = undefined));
  };
  run();
  const timer = setInterval(run, intervalMs);
  // Never what keeps a process alive.
  timer.unref();

  return {
    pruneNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
