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

export interface EventBus {
  publish(topic: string, event: DomainEvent): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: EventHandler): () => void;
  close(): Promise<void>;
}
