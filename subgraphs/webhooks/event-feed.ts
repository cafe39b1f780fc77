import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import { wakeableSleep } from '../../kit/wakeable-sleep.ts';
import type { EndpointStore } from './endpoints.ts';
import { FEED_TOPICS } from './event-types.ts';
import type { WebhookMetrics } from './metrics.ts';
import type { Outbox } from './outbox.ts';

export interface EventFeed {
  /** Resolves once every event received so far is in the outbox (tests, shutdown). */
  flush(): Promise<void>;
  /** Events received and not yet recorded (held while the database is unreachable). */
  unrecorded(): number;
  close(): Promise<void>;
}

export interface EventFeedOptions {
  eventBus: EventBus;
  endpoints: EndpointStore;
  outbox: Outbox;
  logger: Logger;
  onRecorded(): void;
  metrics?: WebhookMetrics | undefined;
  /** Events held at most while the outbox cannot be written; later ones are dropped (and counted). */
  maxUnrecorded?: number | undefined;
  /** Waits between attempts to record: doubling from `firstMs` to `maxMs`, each drawn at random below it. */
  retry?: { firstMs: number; maxMs: number } | undefined;
  random?: () => number;
}

export const DEFAULT_MAX_UNRECORDED = 100_000;
const DEFAULT_RETRY = { firstMs: 250, maxMs: 30_000 };
const BATCH = 500;

/**
 * Domain events from the bus into the outbox, in batches (one transaction per batch, however many events
 * arrived meanwhile). With Redis every replica receives every event and records it; the outbox's unique
 * keys keep one delivery per event and endpoint. Events are durable from the moment they are recorded.
 *
 * While the database cannot be written, events are held in memory and recording is retried, with a
 * randomised doubling wait, until it succeeds: an outage loses nothing as long as this process lives and
 * no more than `maxUnrecorded` events arrive meanwhile (beyond that, new ones are dropped and counted).
 * Closing stops retrying at once and counts what was still held as dropped.
 */
export function startEventFeed({ eventBus, endpoints, outbox, logger, onRecorded, metrics, maxUnrecorded = DEFAULT_MAX_UNRECORDED, retry = DEFAULT_RETRY, random = Math.random }: EventFeedOptions): EventFeed {
  let waiting: DomainEvent[] = [];
  let held = 0;
  let flushing: Promise<void> = Promise.resolve();
  let scheduled = false;
  let closing = false;
  const retryWait = wakeableSleep();

  const release = (events: number) => {
    held -= events;
    metrics?.addUnrecorded(-events);
  };

  /** Records one batch, retrying until it is in the outbox (true), or until a failure once closing (false). */
  const record = async (events: DomainEvent[]): Promise<boolean> => {
    let failingSince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const inserted = await outbox.enqueue(events, await endpoints.listEnabled());
        if (failingSince !== undefined) logger.info({ events: events.length, outageMs: Date.now() - failingSince }, 'webhooks: the outbox is writable again; held events recorded');
        if (inserted > 0) onRecorded();
        return true;
      } catch (err) {
        if (failingSince === undefined) {
          failingSince = Date.now();
          logger.error({ err, events: events.length + waiting.length }, 'webhooks: events cannot be recorded in the outbox; holding them and retrying');
        }
        if (closing) return false;
        await retryWait.sleep(random() * Math.min(retry.maxMs, retry.firstMs * 2 ** attempt));
      }
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    flushing = flushing.then(async () => {
      scheduled = false;
      while (waiting.length > 0) {
        const batch = waiting.slice(0, BATCH);
        waiting = waiting.slice(batch.length);
        if (await record(batch)) {
          release(batch.length);
        } else {
          waiting = [...batch, ...waiting];
          return;
        }
      }
    });
  };
  const receive = (event: DomainEvent) => {
    if (held >= maxUnrecorded) {
      metrics?.recordDropped(1);
      logger.error({ eventId: event.id, held }, 'webhooks: event dropped, too many held while the outbox cannot be written');
      return;
    }
    held++;
    metrics?.addUnrecorded(1);
    waiting.push(event);
    schedule();
  };
  const unsubscribes = FEED_TOPICS.map((topic) => eventBus.subscribe(topic, receive));
  return {
    async flush() {
      // Loops until nothing new was scheduled while waiting.
      let current: Promise<void>;
      do {
        current = flushing;
        await current;
      } while (current !== flushing || (waiting.length > 0 && !closing));
    },
    unrecorded: () => held,
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      // What arrived before closing is still recorded if the outbox takes it, but a failure is no longer
      // retried: an unreachable database does not hold up shutdown.
      closing = true;
      retryWait.wake();
      await this.flush();
      if (held > 0) {
        logger.error({ events: held }, 'webhooks: closed with events not recorded in the outbox');
        metrics?.recordDropped(held);
        release(held);
      }
    },
  };
}
