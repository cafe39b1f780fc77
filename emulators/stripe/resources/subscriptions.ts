import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { addInterval, isBillingInterval } from '../billing-period.ts';
import { cloneObject } from '../clone.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { idOf } from '../reference.ts';
import { applyMetadata, expandField, field, nullableString, pageFields, parseParams, required } from '../params.ts';
import { hasChanges, previousAttributes } from '../previous-attributes.ts';
import { docUrlFor, invalidRequest, resourceMissing, StripeApiError } from '../stripe-error.ts';
import { requirePrice } from './catalog.ts';
import { requireCustomer } from './customers.ts';
import { newInvoicePayment } from './invoice-payments.ts';
import { invoiceAsDraft, invoiceAsOpen, newPaidSubscriptionInvoice } from './invoices.ts';
import { attemptPayment, decideAttempt, type AttemptDecision } from './payment-attempts.ts';
import { newPaymentIntent } from './payment-intents.ts';
import { canceledSubscription } from './subscription-cancellation.ts';

const FEEDBACK = ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'] as const;
const cancellationDetailsField = field.object({ comment: field.string, feedback: field.enum(...FEEDBACK) });

const createFields = {
  customer: field.string,
  items: field.list(field.object({ price: field.string, quantity: field.integer, metadata: field.metadata })),
  metadata: field.metadata,
  description: field.string,
  collection_method: field.enum('charge_automatically'),
  payment_behavior: field.enum('allow_incomplete', 'default_incomplete', 'error_if_incomplete'),
  default_payment_method: field.string,
  off_session: field.boolean,
  expand: expandField,
} as const;

const updateFields = {
  metadata: field.metadata,
  description: field.string,
  cancel_at_period_end: field.boolean,
  cancellation_details: cancellationDetailsField,
  expand: expandField,
} as const;

const STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'] as const;

export interface SubscriptionBilling {
  subscriptionId: string;
  itemId: string;
  customer: Stripe.Customer;
  price: Stripe.Price;
  quantity: number;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  /** One per billing period from `created` on, oldest first; the first is the `subscription_create` one. */
  invoices: ReadonlyArray<{ id: string; lineItemId: string; number: string }>;
}

/**
 * An active subscription with one item and its paid invoices: the first bills the period starting at
 * creation, each further one the next period (a renewal). The last period is the current one.
 */
export function billSubscription(billing: SubscriptionBilling): { subscription: Stripe.Subscription; invoices: Stripe.Invoice[] } {
  const { price, created } = billing;
  const recurring = price.recurring;
  if (!recurring || !isBillingInterval(recurring.interval)) throw new Error(`price ${price.id} is not recurring`);
  const interval = recurring.interval;
  const periodBoundary = (n: number): number => addInterval(created, interval, n * recurring.interval_count);
  const periods = billing.invoices.map((_, n) => ({ start: periodBoundary(n), end: periodBoundary(n + 1) }));
  const current = periods.at(-1);
  if (!current) throw new Error('a subscription has at least its first invoice');

  const item: Stripe.SubscriptionItem = {
    id: billing.itemId,
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: current.end,
    current_period_start: current.start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(price),
    price: cloneObject(price),
    quantity: billing.quantity,
    subscription: billing.subscriptionId,
    tax_rates: [],
  };
  const subscription: Stripe.Subscription = {
    id: billing.subscriptionId,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created,
    currency: price.currency,
    customer: billing.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: billing.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${billing.subscriptionId}` },
    latest_invoice: billing.invoices.at(-1)?.id ?? null,
    livemode: false,
    managed_payments: null,
    metadata: billing.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status: 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
  const invoices = billing.invoices.map((invoice, n) => {
    const period = periods[n] ?? current;
    return newPaidSubscriptionInvoice({
      id: invoice.id,
      lineItemId: invoice.lineItemId,
      number: invoice.number,
      created: period.start,
      customer: billing.customer,
      subscription,
      item,
      periodStart: period.start,
      periodEnd: period.end,
      invoicePeriod: n === 0 ? { start: period.start, end: period.start } : { start: periods[n - 1]?.start ?? period.start, end: period.start },
      billingReason: n === 0 ? 'subscription_create' : 'subscription_cycle',
    });
  });
  return { subscription, invoices };
}

/** The legacy `plan` view of a recurring price, still carried by every subscription item. */
function planOf(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: idOf(price.product),
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

/** `QM3VT8RL-0003`: the customer's prefix and its next sequence number. */
export function invoiceNumber(customer: Stripe.Customer, sequence: number): string {
  return `${customer.invoice_prefix ?? 'INVOICE'}-${String(sequence).padStart(4, '0')}`;
}

export function requireSubscription(context: ApiContext, id: string): Stripe.Subscription {
  const subscription = context.store.subscriptions.get(id);
  if (!subscription) throw resourceMissing('subscription', id);
  return subscription;
}

export const createSubscription: ApiHandler = ({ params }, context) => {
  const input = parseParams(createFields, params);
  const customer = requireCustomer(context, required(input.customer, 'customer'), 'customer');
  const items = required(input.items, 'items');
  const [first, ...others] = items;
  if (!first) throw invalidRequest('Missing required param: items.', { code: 'parameter_missing', param: 'items' });
  if (others.length > 0) throw invalidRequest('The Stripe emulator supports subscriptions with one item.', { param: 'items' });
  const price = requirePrice(context, required(first.price, 'items[0][price]'), 'items[0][price]');
  if (!price.active) throw invalidRequest('The price specified is inactive. This field only accepts active prices.', { param: 'items[0][price]' });
  if (price.type !== 'recurring') {
    throw invalidRequest('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', { param: 'items[0][price]' });
  }
  if (customer.currency && customer.currency !== price.currency) {
    throw invalidRequest(`You cannot combine currencies on a single customer. This customer has had a subscription or payment in ${customer.currency}, but you are trying to pay in ${price.currency}.`, { param: 'items[0][price]' });
  }
  const quantity = first.quantity ?? 1;
  if (quantity < 1) throw invalidRequest('Invalid positive integer', { param: 'items[0][quantity]' });

  const paymentMethodId = input.default_payment_method ?? (customer.invoice_settings.default_payment_method === null ? null : idOf(customer.invoice_settings.default_payment_method));
  if (input.default_payment_method !== undefined) {
    const named = context.store.paymentMethods.get(input.default_payment_method);
    if (!named || named.customer !== customer.id) {
      throw invalidRequest(`The customer does not have a payment method with the ID ${input.default_payment_method}. The payment method must be attached to the customer.`, {
        param: 'default_payment_method',
      });
    }
  }

  const sequence = customer.next_invoice_sequence ?? 1;
  const billed = billSubscription({
    subscriptionId: context.ids.next('sub'),
    itemId: context.ids.next('si'),
    customer,
    price,
    quantity,
    metadata: applyMetadata({}, input.metadata),
    description: nullableString(input.description, null),
    created: context.now(),
    invoices: [{ id: context.ids.next('in'), lineItemId: context.ids.next('il'), number: invoiceNumber(customer, sequence) }],
  });
  const [paidInvoice] = billed.invoices;
  if (!paidInvoice?.id) throw new Error('billSubscription bills the first period');
  // Until its first invoice is paid, a subscription is `incomplete` (Stripe's payment_behavior, default allow_incomplete).
  const subscription: Stripe.Subscription = { ...billed.subscription, status: 'incomplete', default_payment_method: input.default_payment_method ?? null };
  const invoice = invoiceAsOpen(paidInvoice);
  checkExpandable(subscription, input.expand, context.store);

  const behavior = input.payment_behavior ?? 'allow_incomplete';
  const card = paymentMethodId ? context.store.cardOfPaymentMethod.get(paymentMethodId) : undefined;
  const decision = behavior === 'default_incomplete' || !card || !paymentMethodId ? undefined : decideAttempt(card, paymentMethodId, { offSession: input.off_session }, context.store.setUpPaymentMethods);
  if (behavior === 'error_if_incomplete' && invoice.amount_due > 0) refuseIncomplete(decision);

  const billedCustomer: Stripe.Customer = { ...customer, currency: customer.currency ?? price.currency, next_invoice_sequence: sequence + 1 };
  context.store.customers.replace(billedCustomer);
  context.store.subscriptions.insert(subscription);
  context.store.invoices.insert(invoice);
  if (customer.currency !== billedCustomer.currency) context.emit('customer.updated', billedCustomer, { currency: customer.currency ?? null });
  context.emit('customer.subscription.created', subscription);
  context.emit('invoice.created', invoiceAsDraft(paidInvoice));
  context.emit('invoice.finalized', invoice);
  if (invoice.amount_due === 0) {
    settleFreeInvoice(context, invoice, subscription);
    return ok(expandObject(requireSubscription(context, subscription.id), input.expand, context.store));
  }

  // The invoice is charged through a PaymentIntent (its `confirmation_secret` and default `payments` entry).
  const paymentIntentId = context.ids.next('pi');
  const paymentIntent: Stripe.PaymentIntent = {
    ...newPaymentIntent({
      id: paymentIntentId,
      clientSecret: context.ids.clientSecret(paymentIntentId),
      created: context.now(),
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: customer.id,
      description: 'Subscription creation',
      metadata: {},
      paymentMethod: null,
      receiptEmail: null,
      automaticPaymentMethods: null,
      allowedPaymentMethodTypes: null,
      excludedPaymentMethodTypes: null,
      captureMethod: 'automatic',
    }),
    payment_method_types: ['card'],
    setup_future_usage: 'off_session',
  };
  context.store.paymentIntents.insert(paymentIntent);
  context.store.invoicePayments.set(invoice.id ?? '', newInvoicePayment({ id: context.ids.next('inpay'), invoice, paymentIntentId, created: context.now() }));
  context.emit('payment_intent.created', paymentIntent);
  scheduleExpiry(context, subscription.id);

  const paymentMethod = paymentMethodId ? context.store.paymentMethods.get(paymentMethodId) : undefined;
  if (paymentMethod && behavior === 'default_incomplete') {
    const ready: Stripe.PaymentIntent = { ...paymentIntent, payment_method: paymentMethod.id, status: 'requires_confirmation' };
    context.store.paymentIntents.replace(ready);
  } else if (paymentMethod) {
    try {
      attemptPayment(context, paymentIntent, paymentMethod, { offSession: input.off_session });
    } catch (error) {
      // A declined first payment leaves the subscription incomplete and the invoice open, as on Stripe.
      if (!(error instanceof StripeApiError && error.committed)) throw error;
      const failed = context.store.invoices.get(invoice.id ?? '');
      if (failed) {
        const attempted: Stripe.Invoice = { ...failed, attempted: true, attempt_count: failed.attempt_count + 1 };
        context.store.invoices.replace(attempted);
        context.emit('invoice.payment_failed', attempted);
      }
    }
  }
  return ok(expandObject(requireSubscription(context, subscription.id), input.expand, context.store));
};

/** 23 hours to pay the first invoice; then the subscription is `incomplete_expired`, its invoice void. */
const INCOMPLETE_EXPIRY_SECONDS = 23 * 60 * 60;

function scheduleExpiry(context: ApiContext, subscriptionId: string): void {
  context.store.scheduled.push({
    at: context.now() + INCOMPLETE_EXPIRY_SECONDS,
    run: (later) => {
      const subscription = later.store.subscriptions.get(subscriptionId);
      if (subscription?.status !== 'incomplete') return;
      const expired: Stripe.Subscription = { ...subscription, status: 'incomplete_expired', ended_at: later.now() };
      later.store.subscriptions.replace(expired);
      const invoiceId = subscription.latest_invoice === null ? undefined : idOf(subscription.latest_invoice);
      const invoice = invoiceId ? later.store.invoices.get(invoiceId) : undefined;
      if (invoice?.status === 'open') {
        const voided: Stripe.Invoice = { ...invoice, status: 'void', status_transitions: { ...invoice.status_transitions, voided_at: later.now() } };
        later.store.invoices.replace(voided);
        later.emit('invoice.voided', voided);
        const paymentIntentId = later.store.invoicePayments.get(invoice.id ?? '')?.payment.payment_intent;
        const paymentIntent = typeof paymentIntentId === 'string' ? later.store.paymentIntents.get(paymentIntentId) : undefined;
        if (paymentIntent && paymentIntent.status !== 'succeeded' && paymentIntent.status !== 'canceled') {
          const canceled: Stripe.PaymentIntent = { ...paymentIntent, status: 'canceled', canceled_at: later.now(), cancellation_reason: 'void_invoice', next_action: null };
          later.store.paymentIntents.replace(canceled);
          later.emit('payment_intent.canceled', canceled);
        }
      }
      later.emit('customer.subscription.updated', expired, { status: 'incomplete' });
    },
  });
}

/** A first invoice of nothing is paid at once: the subscription is active without any payment. */
function settleFreeInvoice(context: ApiContext, invoice: Stripe.Invoice, subscription: Stripe.Subscription): void {
  const paid: Stripe.Invoice = { ...invoice, status: 'paid', status_transitions: { ...invoice.status_transitions, paid_at: context.now() } };
  context.store.invoices.replace(paid);
  context.emit('invoice.paid', paid);
  context.emit('invoice.payment_succeeded', paid);
  const active: Stripe.Subscription = { ...subscription, status: 'active' };
  context.store.subscriptions.replace(active);
  context.emit('customer.subscription.updated', active, { status: 'incomplete' });
}

/** `payment_behavior: error_if_incomplete`: Stripe refuses the subscription (402) unless the first payment goes through at once. */
function refuseIncomplete(decision: AttemptDecision | undefined): void {
  if (decision === undefined) {
    throw invalidRequest(
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.',
    );
  }
  if (decision.kind === 'declined') {
    const { code, declineCode, message } = decision.outcome;
    throw new StripeApiError(402, { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrlFor(code) });
  }
  if (decision.kind === 'requires_action') {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'invoice_payment_intent_requires_action',
      message: 'Payment for this subscription requires additional user action before it can be completed successfully.',
      doc_url: docUrlFor('invoice_payment_intent_requires_action'),
    });
  }
}

export const retrieveSubscription: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  return ok(expandObject(requireSubscription(context, id), expand, context.store));
};

export const updateSubscription: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(updateFields, params);
  const before = requireSubscription(context, id);
  checkExpandable(before, input.expand, context.store);
  if (before.status === 'canceled' && (input.cancel_at_period_end !== undefined || input.description !== undefined)) {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  const periodEnd = Math.max(...before.items.data.map((item) => item.current_period_end));
  const cancelAtPeriodEnd = input.cancel_at_period_end ?? before.cancel_at_period_end;
  const details = before.cancellation_details ?? { comment: null, feedback: null, feedback_option: null, reason: null };
  const after: Stripe.Subscription = {
    ...before,
    metadata: applyMetadata(before.metadata, input.metadata),
    description: nullableString(input.description, before.description),
    cancel_at_period_end: cancelAtPeriodEnd,
    cancel_at: before.status === 'canceled' ? before.cancel_at : cancelAtPeriodEnd ? periodEnd : null,
    cancellation_details: {
      ...details,
      comment: nullableString(input.cancellation_details?.comment, details.comment),
      feedback: input.cancellation_details?.feedback ?? details.feedback,
      reason: before.status === 'canceled' ? details.reason : cancelAtPeriodEnd ? 'cancellation_requested' : null,
    },
  };
  const previous = previousAttributes(before, after);
  if (hasChanges(previous)) {
    context.store.subscriptions.replace(after);
    context.emit('customer.subscription.updated', after, previous);
  }
  return ok(expandObject(after, input.expand, context.store));
};

/** `DELETE /v1/subscriptions/:id`: ends the subscription now. */
export const cancelSubscription: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(
    { invoice_now: field.boolean, prorate: field.boolean, cancellation_details: cancellationDetailsField, expand: expandField },
    params,
  );
  const before = requireSubscription(context, id);
  checkExpandable(before, input.expand, context.store);
  if (before.status === 'canceled') {
    throw invalidRequest(`This subscription (${id}) has already been canceled.`);
  }
  const after = canceledSubscription(before, context.now(), {
    comment: nullableString(input.cancellation_details?.comment, null),
    feedback: input.cancellation_details?.feedback ?? null,
  });
  context.store.subscriptions.replace(after);
  context.emit('customer.subscription.deleted', after);
  return ok(expandObject(after, input.expand, context.store));
};

export const listSubscriptions: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, customer: field.string, price: field.string, status: field.enum(...STATUSES) }, params);
  return listResult(
    context,
    '/v1/subscriptions',
    context.store.subscriptions.ordered(),
    (subscription) =>
      (input.customer === undefined || subscription.customer === input.customer) &&
      (input.price === undefined || subscription.items.data.some((item) => item.price.id === input.price)) &&
      statusMatches(subscription.status, input.status),
    input,
    'subscription',
  );
};

/** Stripe leaves canceled subscriptions out unless asked for them (`canceled`, `ended` or `all`). */
function statusMatches(status: Stripe.Subscription.Status, filter: (typeof STATUSES)[number] | undefined): boolean {
  switch (filter) {
    case undefined:
      return status !== 'canceled' && status !== 'incomplete_expired';
    case 'all':
      return true;
    case 'ended':
      return status === 'canceled' || status === 'incomplete_expired';
    default:
      return status === filter;
  }
}
