import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { EndpointStore } from './endpoints.ts';
import { FEED_TOPICS } from './event-types.ts';
import type { Outbox } from './outbox.ts';

export interface EventFeed {
  /** Resolves once every event received so far is in the outbox (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Domain events from the bus into the outbox, in batches (one transaction per batch, however many events
 * arrived meanwhile). With Redis every replica receives every event and records it; the outbox's unique
 * keys keep one delivery per event and endpoint. Events are durable from the moment they are recorded: one
 * received while the database is unreachable is retried a few times, then logged as lost.
 */
export function startEventFeed({ eventBus, endpoints, outbox, logger, onRecorded }: { eventBus: EventBus; endpoints: EndpointStore; outbox: Outbox; logger: Logger; onRecorded(): void }): EventFeed {
  let waiting: DomainEvent[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const record = async (events: DomainEvent[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const inserted = await outbox.enqueue(events, await endpoints.listEnabled());
        if (inserted > 0) onRecorded();
        return;
      } catch (err) {
        if (attempt >= 3) {
          logger.error({ err, eventIds: events.map((e) => e.id) }, 'webhooks: events could not be recorded in the outbox');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    flushing = flushing.then(async () => {
      scheduled = false;
      while (waiting.length > 0) {
        const batch = waiting.slice(0, 500);
        waiting = waiting.slice(batch.length);
        await record(batch);
      }
    });
  };
  const unsubscribes = FEED_TOPICS.map((topic) =>
    eventBus.subscribe(topic, (event) => {
      waiting.push(event);
      schedule();
    }),
  );
  return {
    async flush() {
      // Loops until nothing new was scheduled while waiting.
      let current: Promise<void>;
      do {
        current = flushing;
        await current;
      } while (current !== flushing || waiting.length > 0);
    },
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await this.flush();
    },
  };
}
