import type { DomainEvent, EventBus } from './event-bus.ts';
import { ErrorCode, gatewayError } from '../errors.ts';

/** What a subscriber asks for: events of a topic it may see, optionally resuming after one it saw. */
export interface StreamRequest {
  topic: string;
  /** The id of the last event the client received; the events after it are replayed first. */
  afterEventId?: string | null | undefined;
  /** Which events this subscriber gets: its arguments and what the caller may see. */
  accept: (event: DomainEvent) => boolean;
}

export interface EventStreams {
  /** Replayed events after `afterEventId`, then live ones; each event id at most once. Ends on `return()`. */
  open(request: StreamRequest): AsyncIterableIterator<DomainEvent>;
  close(): void;
}

export interface EventStreamsOptions {
  eventBus: EventBus;
  /** The provider's topics, followed from the start so that a reconnecting client can resume. */
  topics: readonly string[];
  /** Events kept per topic for replay. */
  replaySize?: number;
  /** Events waiting for one slow subscriber before it is ended (the gateway disconnects slow clients first). */
  maxQueued?: number;
}

/**
 * Subscriptions over the event bus, with a bounded replay buffer per topic. Events published anywhere
 * (with Redis, on any replica) reach every replica's buffer, so a client that reconnects to another
 * replica and passes the last event id it saw gets what it missed, as long as it is still buffered;
 * otherwise it gets REPLAY_UNAVAILABLE and must reload what it shows.
 */
export function createEventStreams({ eventBus, topics, replaySize = 1000, maxQueued = 10_000 }: EventStreamsOptions): EventStreams {
  const buffers = new Map<string, DomainEvent[]>();
  const listeners = new Map<string, Set<(event: DomainEvent) => void>>();
  const unsubscribes = topics.map((topic) => {
    buffers.set(topic, []);
    listeners.set(topic, new Set());
    return eventBus.subscribe(topic, (event) => {
      const buffer = buffers.get(topic)!;
      buffer.push(event);
      if (buffer.length > replaySize) buffer.splice(0, buffer.length - replaySize);
      for (const listener of [...listeners.get(topic)!]) listener(event);
    });
  });

  return {
    open({ topic, afterEventId, accept }) {
      const buffer = buffers.get(topic);
      const topicListeners = listeners.get(topic);
      if (!buffer || !topicListeners) throw new Error(`no event stream for topic "${topic}"`);
      let replay: DomainEvent[] = [];
      if (afterEventId) {
        const position = buffer.findIndex((event) => event.id === afterEventId);
        if (position < 0) {
          throw gatewayError(ErrorCode.REPLAY_UNAVAILABLE, 'Events after this id are no longer available: reload, then subscribe without afterEventId', {
            argument: 'afterEventId',
          });
        }
        replay = buffer.slice(position + 1);
      }
      // Replay and live registration happen in one synchronous step: no event can fall between them.
      const queue = new EventQueue(maxQueued);
      const seen = new Set<string>();
      const deliver = (event: DomainEvent) => {
        if (seen.has(event.id) || !accept(event)) return;
        seen.add(event.id);
        if (seen.size > replaySize * 2) seen.delete(seen.values().next().value!);
        queue.push(event);
      };
      replay.forEach(deliver);
      topicListeners.add(deliver);
      queue.onEnd(() => topicListeners.delete(deliver));
      return queue.iterator();
    },
    close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      buffers.clear();
      listeners.clear();
    },
  };
}

/** A push-to-pull queue as an async iterator; ends (with an error) when more than `limit` events wait. */
class EventQueue {
  private readonly limit: number;
  private readonly items: DomainEvent[] = [];
  private waiting: ((result: IteratorResult<DomainEvent>) => void) | undefined;
  private failWaiting: ((error: Error) => void) | undefined;
  private ended = false;
  private overflow: Error | undefined;
  private readonly endHandlers: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  push(event: DomainEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    this.items.push(event);
    if (this.items.length > this.limit) {
      this.overflow = gatewayError(ErrorCode.SLOW_CONSUMER, 'Too many undelivered events: resubscribe with afterEventId');
      this.end();
    }
  }

  onEnd(handler: () => void): void {
    this.endHandlers.push(handler);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const handler of this.endHandlers) handler();
  }

  iterator(): AsyncIterableIterator<DomainEvent> {
    const done = (): IteratorResult<DomainEvent> => ({ value: undefined, done: true });
    const iterator: AsyncIterableIterator<DomainEvent> = {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.overflow) return Promise.reject(this.overflow);
        if (this.ended) return Promise.resolve(done());
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.items.length = 0;
        this.end();
        this.waiting?.(done());
        this.waiting = undefined;
        return Promise.resolve(done());
      },
      throw: (error: unknown) => {
        this.end();
        this.failWaiting?.(error instanceof Error ? error : new Error(String(error)));
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
