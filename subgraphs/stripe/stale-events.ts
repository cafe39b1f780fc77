import type Stripe from 'stripe';
import { eventObject } from './events.ts';

/**
 * Stripe delivers events at least once and in no particular order, so a `payment_intent.requires_action`
 * can arrive after the `payment_intent.succeeded` that followed it. Publishing it would tell subscribers
 * the payment went back to waiting. Before publishing an event about a payment intent or subscription,
 * the object is fetched from Stripe: an event whose status is no longer the object's is stale, and is
 * evicted for but not published (`*.created` events never go stale). When Stripe cannot say (unknown object, provider down), it is published:
 * subscribers load the object afresh anyway, so at worst they see a late event with current data.
 */
export async function isStaleEvent(stripe: Stripe, event: Stripe.Event): Promise<boolean> {
  // That an object was created stays true whatever happened since: only later transitions can go stale.
  if (event.type.endsWith('.created')) return false;
  const object = eventObject(event);
  const status = (event.data.object as { status?: unknown }).status;
  if (typeof status !== 'string') return false;
  try {
    if (object.object === 'payment_intent') return (await stripe.paymentIntents.retrieve(object.id)).status !== status;
    if (object.object === 'subscription') return (await stripe.subscriptions.retrieve(object.id)).status !== status;
  } catch {
    return false;
  }
  return false;
}
