import type Stripe from 'stripe';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { idOf } from './evictions.ts';

/** The fields of `event.data.object` that routing needs, whichever Stripe object it is. */
export interface EventObject {
  id: string;
  object: string;
  customer?: string | { id: string } | null;
  payment_intent?: string | { id: string } | null;
  subscription?: string | { id: string } | null;
}

/** Stripe's event object, reduced to what routing reads (the SDK types data.object per event type). */
export function eventObject(event: Stripe.Event): EventObject {
  return event.data.object as unknown as EventObject;
}

const DOMAIN_TYPES: Readonly<Record<string, string>> = {
  'payment_intent.created': 'payment.created',
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
  'payment_intent.canceled': 'payment.canceled',
  'payment_intent.processing': 'payment.processing',
  'payment_intent.requires_action': 'payment.requires_action',
  'charge.refunded': 'payment.refunded',
  'customer.created': 'customer.created',
  'customer.updated': 'customer.updated',
  'customer.deleted': 'customer.deleted',
  'customer.subscription.created': 'subscription.created',
  'customer.subscription.updated': 'subscription.updated',
  'customer.subscription.deleted': 'subscription.canceled',
  'invoice.paid': 'invoice.paid',
  'invoice.payment_failed': 'invoice.payment_failed',
};

export const PAYMENTS_TOPIC = 'payments';

/**
 * Stripe's event as a domain event, or null for types nobody consumes (they are acknowledged and dropped).
 * Keys carry the ids a subscriber needs to route and authorize it.
 */
export function toDomainEvent(event: Stripe.Event): DomainEvent | null {
  const type = DOMAIN_TYPES[event.type];
  if (!type) return null;
  const object = eventObject(event);
  const keys: Record<string, string> = {};
  const customerId = object.object === 'customer' ? object.id : idOf(object.customer);
  if (customerId) keys['customerId'] = customerId;
  if (object.object === 'payment_intent') keys['paymentIntentId'] = object.id;
  const paymentIntentId = idOf(object.payment_intent);
  if (paymentIntentId) keys['paymentIntentId'] = paymentIntentId;
  if (object.object === 'subscription') keys['subscriptionId'] = object.id;
  if (object.object === 'invoice') keys['invoiceId'] = object.id;
  return { id: event.id, provider: 'stripe', type, occurredAt: new Date(event.created * 1000).toISOString(), keys };
}
