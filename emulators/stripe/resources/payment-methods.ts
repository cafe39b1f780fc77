import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { cloneObject } from '../clone.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { applyMetadata, expandField, field, pageFields, parseParams, required } from '../params.ts';
import { docUrlFor, invalidRequest, resourceMissing, StripeApiError } from '../stripe-error.ts';
import { requireCustomer } from './customers.ts';
import { TEST_CARD_EXPIRY, TEST_CARDS, testCardForNumber, testCardForToken, type TestCard } from './test-cards.ts';

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

/** A new `pm_…` carrying a test card. */
function insertCardPaymentMethod(context: ApiContext, card: TestCard): Stripe.PaymentMethod {
  const created = context.store.paymentMethods.insert(newCardPaymentMethod(context.ids.next('pm'), context.now(), card));
  context.store.cardOfPaymentMethod.set(created.id, card);
  return created;
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
  return insertCardPaymentMethod(context, card);
}

/** Whether a payment-method reference would resolve, without creating anything (for validation). */
export function isKnownPaymentMethod(context: ApiContext, reference: string): boolean {
  return context.store.paymentMethods.get(reference) !== undefined || TEST_CARDS[reference] !== undefined;
}

/** Refuses an unknown reference with Stripe's 400 `resource_missing` on the parameter. */
export function requireKnownPaymentMethod(context: ApiContext, reference: string, param: string): void {
  if (!isKnownPaymentMethod(context, reference)) throw resourceMissing('PaymentMethod', reference, param);
}

/** The test card behind a payment method reference (existing `pm_…` or test token), without creating anything. */
export function cardOfReference(context: ApiContext, reference: string): TestCard | undefined {
  return context.store.cardOfPaymentMethod.get(reference) ?? TEST_CARDS[reference];
}

export function requirePaymentMethod(context: ApiContext, id: string): Stripe.PaymentMethod {
  const paymentMethod = context.store.paymentMethods.get(id);
  if (!paymentMethod) throw resourceMissing('PaymentMethod', id);
  return paymentMethod;
}

/**
 * Saves a payment method to a customer. Stripe checks the card with the issuer first: a declining card is
 * refused (402) and nothing is attached, except the cards documented to attach and decline later.
 */
export function attachToCustomer(context: ApiContext, paymentMethod: Stripe.PaymentMethod, customer: Stripe.Customer): Stripe.PaymentMethod {
  if (paymentMethod.customer === customer.id) return paymentMethod;
  if (paymentMethod.customer !== null) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', { code: 'payment_method_unexpected_state' });
  }
  const attached: Stripe.PaymentMethod = { ...paymentMethod, customer: customer.id };
  context.store.paymentMethods.replace(attached);
  context.emit('payment_method.attached', attached);
  return attached;
}

/** The 402 Stripe answers when attaching a card its issuer declines. */
function checkAttachable(card: TestCard | undefined): void {
  if (!card || card.outcome.kind === 'approved' || card.attachable) return;
  const { code, declineCode, message } = card.outcome;
  throw new StripeApiError(402, { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrlFor(code) });
}

const cardField = field.object({
  token: field.string,
  number: field.string,
  exp_month: field.integer,
  exp_year: field.integer,
  cvc: field.string,
});

const billingDetailsField = field.object({ name: field.string, email: field.string, phone: field.string });

export const createPaymentMethod: ApiHandler = ({ params }, context) => {
  const input = parseParams(
    { type: field.enum('card'), card: cardField, billing_details: billingDetailsField, metadata: field.metadata, customer: field.string, payment_method: field.string, expand: expandField },
    params,
  );
  required(input.type, 'type');
  const cardInput = required(input.card, 'card');
  const card = cardInput.token !== undefined ? testCardForToken(cardInput.token) : cardInput.number !== undefined ? testCardForNumber(cardInput.number) : undefined;
  if (!card) {
    if (cardInput.token !== undefined) throw resourceMissing('token', cardInput.token, 'card[token]');
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'incorrect_number',
      message: 'Your card number is incorrect. The Stripe emulator accepts the test card numbers Stripe documents.',
      param: 'card[number]',
    });
  }
  const base = newCardPaymentMethod(context.ids.next('pm'), context.now(), card);
  const paymentMethod: Stripe.PaymentMethod = {
    ...base,
    billing_details: {
      ...base.billing_details,
      name: input.billing_details?.name ?? null,
      email: input.billing_details?.email ?? null,
      phone: input.billing_details?.phone ?? null,
    },
    metadata: applyMetadata({}, input.metadata),
  };
  checkExpandable(paymentMethod, input.expand, context.store);
  context.store.paymentMethods.insert(paymentMethod);
  context.store.cardOfPaymentMethod.set(paymentMethod.id, card);
  return ok(expandObject(paymentMethod, input.expand, context.store));
};

export const retrievePaymentMethod: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  return ok(expandObject(requirePaymentMethod(context, id), expand, context.store));
};

export const attachPaymentMethod: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ customer: field.string, expand: expandField }, params);
  const customer = requireCustomer(context, required(input.customer, 'customer'), 'customer');
  if (!isKnownPaymentMethod(context, id)) throw resourceMissing('PaymentMethod', id);
  checkAttachable(cardOfReference(context, id));
  const attached = attachToCustomer(context, resolvePaymentMethod(context, id, 'payment_method'), customer);
  return ok(expandObject(attached, input.expand, context.store));
};

export const detachPaymentMethod: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ expand: expandField }, params);
  const before = requirePaymentMethod(context, id);
  if (before.customer === null) {
    throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', { code: 'payment_method_unexpected_state' });
  }
  const customerId = typeof before.customer === 'string' ? before.customer : before.customer.id;
  const detached: Stripe.PaymentMethod = { ...before, customer: null };
  context.store.paymentMethods.replace(detached);
  context.emit('payment_method.detached', detached, { customer: customerId });
  // A detached method can no longer be the customer's default.
  const customer = context.store.customers.get(customerId);
  if (customer && customer.invoice_settings.default_payment_method === id) {
    const updated: Stripe.Customer = { ...customer, invoice_settings: { ...customer.invoice_settings, default_payment_method: null } };
    context.store.customers.replace(updated);
    context.emit('customer.updated', updated, { invoice_settings: cloneObject(customer.invoice_settings) });
  }
  return ok(expandObject(detached, input.expand, context.store));
};

const listFields = { ...pageFields, type: field.enum('card'), customer: field.string, allow_redisplay: field.enum('always', 'limited', 'unspecified') } as const;

export const listPaymentMethods: ApiHandler = ({ params }, context) => {
  const input = parseParams(listFields, params);
  if (input.customer !== undefined) requireCustomer(context, input.customer, 'customer');
  return listResult(
    context,
    '/v1/payment_methods',
    context.store.paymentMethods.ordered(),
    (paymentMethod) => (input.customer === undefined || paymentMethod.customer === input.customer) && (input.type === undefined || paymentMethod.type === input.type),
    input,
    'payment_method',
  );
};

/** `GET /v1/customers/:id/payment_methods`. */
export const listCustomerPaymentMethods: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ ...pageFields, type: field.enum('card'), allow_redisplay: field.enum('always', 'limited', 'unspecified') }, params);
  requireCustomer(context, id);
  return listResult(
    context,
    `/v1/customers/${id}/payment_methods`,
    context.store.paymentMethods.ordered(),
    (paymentMethod) => paymentMethod.customer === id && (input.type === undefined || paymentMethod.type === input.type),
    input,
    'payment_method',
  );
};
