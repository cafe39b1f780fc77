/**
 * Normalized domain events (a payment succeeded, a file arrived), published by webhook handlers and read by
 * subscriptions. Providers speak their own event dialects; consumers see only these.
 */
export interface DomainEvent {
  /** The provider's own event id: the key for de-duplication and replay. */
  readonly id: string;
  readonly provider: string;
  /** `<domain>.<what happened>`, e.g. `payment.succeeded`, `customer.updated`. */
  readonly type: string;
  readonly occurredAt: string;
  /** The ids needed to route and authorize the event (customerId, paymentIntentId, …). */
  readonly keys: Readonly<Record<string, string>>;
}

export type EventHandler = (event: DomainEvent) => void;

/**
 * Topic-based delivery of domain events. Engines: memory (this process; `memory-event-bus.ts`) and Redis pub/sub
 * (every replica; `redis-event-bus.ts`); `create-event-bus.ts` picks one.
 */
export interface EventBus {
  /**
   * Delivers the event to every handler of the topic (with Redis: on every replica, this one included), once per
   * handler; the events of one publisher arrive in the order they were published. Resolves once the event is
   * handed over: in memory after the handlers ran, with Redis once Redis accepted it (handlers run afterwards).
   */
  publish(topic: string, event: DomainEvent): Promise<void>;
  /**
   * Handlers run synchronously, in registration order; one that throws is reported and never stops the others.
   * A publish issued on this bus after subscribe() returned reaches the handler. Returns the function that
   * unsubscribes.
   */
  subscribe(topic: string, handler: EventHandler): () => void;
  /** Stops delivery and releases the engine's resources; safe to call more than once. */
  close(): Promise<void>;
}
