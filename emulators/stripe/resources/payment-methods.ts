import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { expandObject } from '../expand.ts';
import { expandField, parseParams } from '../params.ts';
import { resourceMissing } from '../stripe-error.ts';
import { TEST_CARD_EXPIRY, TEST_CARDS, type TestCard } from './test-cards.ts';

export function newCardPaymentMethod(id: string, created: number, card: TestCard): Stripe.PaymentMethod {
  return {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
      country: card.country,
      display_brand: card.brand,
      ...TEST_CARD_EXPIRY,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

/**
 * The payment method a confirmation names: a test token (`pm_card_visa`) becomes a new `pm_…` of that
 * card, as on Stripe; an existing `pm_…` is reused. Anything else is missing.
 */
export function resolvePaymentMethod(context: ApiContext, reference: string, param: string): Stripe.PaymentMethod {
  const existing = context.store.paymentMethods.get(reference);
  if (existing) return existing;
  const card = TEST_CARDS[reference];
  if (!card) throw resourceMissing('PaymentMethod', reference, param);
  const created = context.store.paymentMethods.insert(newCardPaymentMethod(context.ids.next('pm'), context.now(), card));
  context.store.cardOfPaymentMethod.set(created.id, card);
  return created;
}

/** Whether a payment-method reference would resolve, without creating anything (for validation). */
export function isKnownPaymentMethod(context: ApiContext, reference: string): boolean {
  return context.store.paymentMethods.get(reference) !== undefined || TEST_CARDS[reference] !== undefined;
}

export const retrievePaymentMethod: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const paymentMethod = context.store.paymentMethods.get(id);
  if (!paymentMethod) throw resourceMissing('PaymentMethod', id);
  return ok(expandObject(paymentMethod, expand, context.store));
};
