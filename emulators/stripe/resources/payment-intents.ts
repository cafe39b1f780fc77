import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { cloneObject } from '../clone.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import {
  applyMetadata,
  expandField,
  field,
  nullableString,
  pageFields,
  parseParams,
  required,
  type Params,
} from '../params.ts';
import { docUrlFor, invalidRequest, resourceMissing, type StripeApiError } from '../stripe-error.ts';
import { idOf } from '../reference.ts';
import { captureCharge } from './charge-refunds.ts';
import { requireCustomer } from './customers.ts';
import { settleInvoiceOf } from './invoice-payments.ts';
import { attemptPayment } from './payment-attempts.ts';
import { isKnownPaymentMethod, resolvePaymentMethod } from './payment-methods.ts';

const automaticPaymentMethodsField = field.object({ enabled: field.boolean, allow_redirects: field.enum('always', 'never') });

const createFields = {
  amount: field.integer,
  currency: field.string,
  customer: field.string,
  description: field.string,
  metadata: field.metadata,
  payment_method: field.string,
  allowed_payment_method_types: field.list(field.string),
  excluded_payment_method_types: field.list(field.string),
  automatic_payment_methods: automaticPaymentMethodsField,
  capture_method: field.enum('automatic', 'automatic_async', 'manual'),
  confirm: field.boolean,
  receipt_email: field.string,
  return_url: field.string,
  off_session: field.boolean,
  statement_descriptor_suffix: field.string,
  expand: expandField,
} as const;

const updateFields = {
  amount: field.integer,
  currency: field.string,
  customer: field.string,
  description: field.string,
  metadata: field.metadata,
  payment_method: field.string,
  receipt_email: field.string,
  expand: expandField,
} as const;

const confirmFields = {
  payment_method: field.string,
  receipt_email: field.string,
  return_url: field.string,
  off_session: field.boolean,
  expand: expandField,
} as const;

type ConfirmParams = Params<typeof confirmFields>;

const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;

/** Minimum charge amounts of the common currencies (Stripe's "Minimum and maximum charge amounts"). */
const MINIMUM_AMOUNT: Readonly<Record<string, { amount: number; display: string }>> = {
  usd: { amount: 50, display: '$0.50' },
  eur: { amount: 50, display: '€0.50' },
  gbp: { amount: 30, display: '£0.30' },
  cad: { amount: 50, display: '$0.50' },
  aud: { amount: 50, display: '$0.50' },
  jpy: { amount: 50, display: '¥50' },
};

const REDIRECT_RETURN_URL_MESSAGE =
  'A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.';

/** Payment method types that never send the customer to another page. */
const NON_REDIRECT_TYPES: readonly string[] = ['card', 'card_present', 'link'];

const CONFIRMABLE: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly string[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const UPDATABLE_AMOUNTS: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export interface NewPaymentIntent {
  id: string;
  clientSecret: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  paymentMethod: string | null;
  receiptEmail: string | null;
  /** Null when the caller only listed `allowed_payment_method_types`. */
  automaticPaymentMethods: Stripe.PaymentIntent.AutomaticPaymentMethods | null;
  allowedPaymentMethodTypes: string[] | null;
  excludedPaymentMethodTypes: string[] | null;
  captureMethod: Stripe.PaymentIntent.CaptureMethod;
}

/** A payment intent before any confirmation attempt. */
export function newPaymentIntent(fields: NewPaymentIntent): Stripe.PaymentIntent {
  return {
    id: fields.id,
    object: 'payment_intent',
    allowed_payment_method_types: fields.allowedPaymentMethodTypes,
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: fields.automaticPaymentMethods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: fields.clientSecret,
    confirmation_method: 'automatic',
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: fields.excludedPaymentMethodTypes,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: fields.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    // Of the allowed types, the emulator can take cards only.
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: fields.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: fields.paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation',
    transfer_data: null,
    transfer_group: null,
  };
}

export function requirePaymentIntent(context: ApiContext, id: string, param?: string): Stripe.PaymentIntent {
  const paymentIntent = context.store.paymentIntents.get(id);
  if (!paymentIntent) throw resourceMissing('payment_intent', id, param);
  return paymentIntent;
}

export const createPaymentIntent: ApiHandler = ({ params }, context) => {
  const input = parseParams(createFields, params);
  const amount = required(input.amount, 'amount');
  const currency = required(input.currency, 'currency').toLowerCase();
  checkAmount(amount, currency, 'amount');
  if (input.customer) requireCustomer(context, input.customer, 'customer');
  if (input.payment_method && !isKnownPaymentMethod(context, input.payment_method)) {
    throw resourceMissing('PaymentMethod', input.payment_method, 'payment_method');
  }
  if (input.allowed_payment_method_types && !input.allowed_payment_method_types.includes('card')) {
    throw invalidRequest('The Stripe emulator takes card payments only: include `card` in allowed_payment_method_types.', {
      param: 'allowed_payment_method_types',
    });
  }
  // Unless the caller lists the allowed types, automatic payment methods are on (API versions since 2023-08-16).
  const automaticPaymentMethods: Stripe.PaymentIntent.AutomaticPaymentMethods | null =
    input.automatic_payment_methods || !input.allowed_payment_method_types
      ? {
          enabled: input.automatic_payment_methods?.enabled ?? true,
          ...(input.automatic_payment_methods?.allow_redirects ? { allow_redirects: input.automatic_payment_methods.allow_redirects } : {}),
        }
      : null;
  const id = context.ids.next('pi');
  const paymentIntent = newPaymentIntent({
    id,
    clientSecret: context.ids.clientSecret(id),
    created: context.now(),
    amount,
    currency,
    customer: input.customer || null,
    description: nullableString(input.description, null),
    metadata: applyMetadata({}, input.metadata),
    paymentMethod: null,
    receiptEmail: nullableString(input.receipt_email, null),
    automaticPaymentMethods,
    allowedPaymentMethodTypes: input.allowed_payment_method_types ?? null,
    excludedPaymentMethodTypes: input.excluded_payment_method_types ?? null,
    captureMethod: input.capture_method ?? 'automatic_async',
  });
  checkExpandable(paymentIntent, input.expand, context.store);
  if (input.confirm) checkConfirmable(paymentIntent, input);

  // The payment method is attached only now that every check has passed: refusals create nothing.
  const withMethod = input.payment_method
    ? { ...paymentIntent, payment_method: resolvePaymentMethod(context, input.payment_method, 'payment_method').id, status: 'requires_confirmation' as const }
    : paymentIntent;
  context.store.paymentIntents.insert(withMethod);
  context.emit('payment_intent.created', withMethod);

  // The method is already attached: confirming must not turn a test token into a second `pm_…`.
  const result = input.confirm ? confirm(context, withMethod, { return_url: input.return_url, off_session: input.off_session, receipt_email: input.receipt_email }) : withMethod;
  return ok(expandObject(result, input.expand, context.store));
};

export const retrievePaymentIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ client_secret: field.string, expand: expandField }, params);
  const paymentIntent = requirePaymentIntent(context, id);
  if (input.client_secret !== undefined && input.client_secret !== paymentIntent.client_secret) {
    throw invalidRequest('The client_secret provided does not match the client_secret associated with the PaymentIntent.', {
      param: 'client_secret',
    });
  }
  return ok(expandObject(paymentIntent, input.expand, context.store));
};

export const updatePaymentIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(updateFields, params);
  const before = requirePaymentIntent(context, id);
  checkExpandable(before, input.expand, context.store);
  const changesPayment = ['amount', 'currency', 'customer', 'payment_method'].some((name) => name in input);
  if (changesPayment && !UPDATABLE_AMOUNTS.includes(before.status)) {
    throw unexpectedState(
      `You cannot update this PaymentIntent because it has a status of ${before.status}. Updates to amount, currency, customer and payment_method are only allowed when the PaymentIntent has one of the following statuses: ${UPDATABLE_AMOUNTS.join(', ')}.`,
      before,
    );
  }
  const currency = input.currency?.toLowerCase() ?? before.currency;
  if (input.amount !== undefined || input.currency !== undefined) checkAmount(input.amount ?? before.amount, currency, 'amount');
  if (input.customer) requireCustomer(context, input.customer, 'customer');
  if (input.payment_method && !isKnownPaymentMethod(context, input.payment_method)) {
    throw resourceMissing('PaymentMethod', input.payment_method, 'payment_method');
  }
  const paymentMethod = input.payment_method ? resolvePaymentMethod(context, input.payment_method, 'payment_method').id : before.payment_method;
  const after: Stripe.PaymentIntent = {
    ...before,
    amount: input.amount ?? before.amount,
    currency,
    customer: input.customer === undefined ? before.customer : input.customer || null,
    description: nullableString(input.description, before.description),
    metadata: applyMetadata(before.metadata, input.metadata),
    payment_method: paymentMethod,
    receipt_email: nullableString(input.receipt_email, before.receipt_email),
    status: before.status === 'requires_payment_method' && paymentMethod !== null ? 'requires_confirmation' : before.status,
  };
  context.store.paymentIntents.replace(after); // Stripe has no payment_intent.updated event
  return ok(expandObject(after, input.expand, context.store));
};

export const confirmPaymentIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(confirmFields, params);
  const paymentIntent = requirePaymentIntent(context, id);
  checkExpandable(paymentIntent, input.expand, context.store);
  checkConfirmable(paymentIntent, input);
  if (input.payment_method && !isKnownPaymentMethod(context, input.payment_method)) {
    throw resourceMissing('PaymentMethod', input.payment_method, 'payment_method');
  }
  return ok(expandObject(confirm(context, paymentIntent, input), input.expand, context.store));
};

export const cancelPaymentIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ cancellation_reason: field.enum(...CANCELLATION_REASONS), expand: expandField }, params);
  const before = requirePaymentIntent(context, id);
  checkExpandable(before, input.expand, context.store);
  if (!CANCELABLE.includes(before.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${before.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      before,
    );
  }
  const after: Stripe.PaymentIntent = {
    ...before,
    status: 'canceled',
    amount_capturable: 0,
    next_action: null,
    canceled_at: context.now(),
    cancellation_reason: input.cancellation_reason ?? null,
  };
  // Canceling an authorization releases the held amount: its uncaptured charge is refunded in full.
  const held = before.status === 'requires_capture' && before.latest_charge !== null ? context.store.charges.get(idOf(before.latest_charge)) : undefined;
  if (held) context.store.charges.replace({ ...held, refunded: true, amount_refunded: held.amount });
  context.store.paymentIntents.replace(after);
  context.emit('payment_intent.canceled', after);
  return ok(expandObject(after, input.expand, context.store));
};

export const listPaymentIntents: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, customer: field.string }, params);
  return listResult(
    context,
    '/v1/payment_intents',
    context.store.paymentIntents.ordered(),
    (paymentIntent) => input.customer === undefined || paymentIntent.customer === input.customer,
    input,
    'payment_intent',
  );
};

/** Refusals a confirmation can meet before it charges anything (nothing is stored for them). */
function checkConfirmable(paymentIntent: Stripe.PaymentIntent, input: ConfirmParams): void {
  if (!CONFIRMABLE.includes(paymentIntent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${paymentIntent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      paymentIntent,
    );
  }
  if (!input.payment_method && !paymentIntent.payment_method) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.",
      paymentIntent,
    );
  }
  const automatic = paymentIntent.automatic_payment_methods;
  const allowed = paymentIntent.allowed_payment_method_types;
  const mayRedirect = allowed === null || allowed.some((type) => !NON_REDIRECT_TYPES.includes(type));
  if (automatic?.enabled && automatic.allow_redirects !== 'never' && mayRedirect && !input.return_url) {
    throw invalidRequest(REDIRECT_RETURN_URL_MESSAGE);
  }
}

/** Charges the payment method named by the confirmation, or the one already attached (see payment-attempts.ts). */
function confirm(context: ApiContext, paymentIntent: Stripe.PaymentIntent, input: ConfirmParams): Stripe.PaymentIntent {
  const attached = paymentIntent.payment_method;
  const reference = input.payment_method ?? (attached === null ? undefined : idOf(attached));
  if (!reference) throw new Error('checkConfirmable lets no confirmation through without a payment method');
  const paymentMethod = resolvePaymentMethod(context, reference, 'payment_method');
  return attemptPayment(context, paymentIntent, paymentMethod, { returnUrl: input.return_url, offSession: input.off_session, receiptEmail: input.receipt_email });
}

/**
 * `POST /v1/payment_intents/:id/capture`: takes the authorized amount, or part of it
 * (`amount_to_capture`); the rest is released, as a refund of the uncaptured part (charge-refunds.ts).
 */
export const capturePaymentIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ amount_to_capture: field.integer, metadata: field.metadata, expand: expandField }, params);
  const before = requirePaymentIntent(context, id);
  checkExpandable(before, input.expand, context.store);
  if (before.status !== 'requires_capture') {
    throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${before.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, before);
  }
  const amount = input.amount_to_capture ?? before.amount_capturable;
  if (amount > before.amount_capturable || amount < 1) {
    throw invalidRequest(`The amount to capture must be between 1 and the amount_capturable (${before.amount_capturable}).`, { param: 'amount_to_capture', code: 'amount_too_large' });
  }
  const chargeId = before.latest_charge === null ? undefined : idOf(before.latest_charge);
  const charge = chargeId ? context.store.charges.get(chargeId) : undefined;
  if (!charge) throw new Error(`payment intent ${id} is capturable without a charge`);
  const captured = captureCharge(context, charge, amount);
  const after: Stripe.PaymentIntent = {
    ...before,
    status: 'succeeded',
    amount_received: amount,
    amount_capturable: 0,
    metadata: applyMetadata(before.metadata, input.metadata),
  };
  context.store.paymentIntents.replace(after);
  context.emit('charge.captured', captured);
  context.emit('payment_intent.succeeded', after);
  settleInvoiceOf(context, after);
  return ok(expandObject(after, input.expand, context.store));
};

function checkAmount(amount: number, currency: string, param: string): void {
  if (!/^[a-z]{3}$/.test(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, …`, { param: 'currency' });
  }
  const minimum = MINIMUM_AMOUNT[currency] ?? { amount: 50, display: '50' };
  if (amount < minimum.amount) {
    throw invalidRequest(`Amount must be at least ${minimum.display} ${currency}`, { code: 'amount_too_small', param });
  }
}

function unexpectedState(message: string, paymentIntent: Stripe.PaymentIntent): StripeApiError {
  const error = invalidRequest(message, { code: 'payment_intent_unexpected_state' });
  error.body.payment_intent = cloneObject(paymentIntent);
  error.body.doc_url = docUrlFor('payment_intent_unexpected_state');
  return error;
}
