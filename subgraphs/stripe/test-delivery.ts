import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './client.ts';

/** An event object for a test delivery: the fields routing reads, plus whatever the caller adds. */
export type TestEventObject = { id: string; object: string } & Record<string, unknown>;

/** A plausible object for each event type developers commonly test their handlers with. */
export function sampleObject(type: string): TestEventObject {
  const customer = 'cus_TESTDELIVERY01';
  if (type.startsWith('payment_intent.')) {
    const status = { succeeded: 'succeeded', canceled: 'canceled', payment_failed: 'requires_payment_method' }[type.slice('payment_intent.'.length)] ?? 'requires_payment_method';
    return { id: 'pi_TESTDELIVERY01', object: 'payment_intent', amount: 2000, currency: 'usd', customer, status };
  }
  if (type.startsWith('charge.')) return { id: 'ch_TESTDELIVERY01', object: 'charge', amount: 2000, currency: 'usd', customer, payment_intent: 'pi_TESTDELIVERY01', refunded: type === 'charge.refunded' };
  if (type.startsWith('customer.subscription.')) return { id: 'sub_TESTDELIVERY01', object: 'subscription', customer, status: type.endsWith('deleted') ? 'canceled' : 'active' };
  if (type.startsWith('customer.')) return { id: customer, object: 'customer', email: 'test.delivery@example.com', metadata: {} };
  if (type.startsWith('invoice.')) return { id: 'in_TESTDELIVERY01', object: 'invoice', customer, status: 'paid', total: 2000, currency: 'usd' };
  // A detached method no longer names its customer (Stripe puts it in previous_attributes).
  if (type.startsWith('payment_method.')) return { id: 'pm_TESTDELIVERY01', object: 'payment_method', type: 'card', customer: type === 'payment_method.detached' ? null : customer };
  if (type.startsWith('setup_intent.')) {
    const status = { succeeded: 'succeeded', requires_action: 'requires_action', canceled: 'canceled', setup_failed: 'requires_payment_method' }[type.slice('setup_intent.'.length)] ?? 'requires_payment_method';
    return { id: 'seti_TESTDELIVERY01', object: 'setup_intent', customer, status };
  }
  if (type.startsWith('checkout.session.')) {
    const status = { completed: 'complete', expired: 'expired' }[type.slice('checkout.session.'.length)] ?? 'open';
    return { id: 'cs_test_TESTDELIVERY01', object: 'checkout.session', customer, status, mode: 'payment' };
  }
  return { id: 'obj_TESTDELIVERY01', object: type.split('.')[0] ?? 'unknown' };
}

/**
 * A delivery signed exactly as Stripe signs one (`Stripe-Signature: t=…,v1=…`), with the SDK's own helper.
 * For tests and for `npm run webhook:stripe`.
 */
export function signedTestDelivery({
  type,
  secret,
  object = sampleObject(type),
  eventId = `evt_test_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  timestamp = Math.floor(Date.now() / 1000),
}: {
  type: string;
  secret: string;
  object?: TestEventObject;
  eventId?: string;
  timestamp?: number;
}): { body: string; headers: Record<string, string>; eventId: string } {
  const body = JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: timestamp,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature }, eventId };
}
