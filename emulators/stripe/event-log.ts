import type Stripe from 'stripe';
import type { EventObject, EventType } from './api-context.ts';
import { cloneObject } from './clone.ts';

/** The API request that caused an event (`event.request`). */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export interface NewEvent<T extends EventType> {
  id: string;
  created: number;
  apiVersion: string;
  type: T;
  object: EventObject<T>;
  previous?: Partial<EventObject<T>> | undefined;
  request: EventRequest;
  pendingWebhooks: number;
}

/** An event in Stripe's envelope, carrying a snapshot of the object as it was when the event happened. */
export function newEvent<T extends EventType>(fields: NewEvent<T>): Stripe.Event {
  const data: { object: EventObject<T>; previous_attributes?: Partial<EventObject<T>> } = { object: cloneObject(fields.object) };
  if (fields.previous !== undefined) data.previous_attributes = cloneObject(fields.previous);
  // TypeScript cannot narrow the event union by a generic `type`; `object` was typed from `type` above.
  return {
    id: fields.id,
    object: 'event',
    api_version: fields.apiVersion,
    created: fields.created,
    data,
    livemode: false,
    pending_webhooks: fields.pendingWebhooks,
    request: fields.request,
    type: fields.type,
  } as Stripe.Event;
}
