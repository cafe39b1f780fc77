import Stripe from 'stripe';
import { ok, type ApiHandler } from '../api-context.ts';
import { expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { idOf } from '../reference.ts';
import { expandField, field, pageFields, parseParams } from '../params.ts';
import { resourceMissing } from '../stripe-error.ts';

export interface NewSubscriptionInvoice {
  id: string;
  lineItemId: string;
  /** Invoice number, e.g. `QM3VT8RL-0001`. */
  number: string;
  created: number;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  /** The period the line bills (in advance: the subscription's new current period). */
  periodStart: number;
  periodEnd: number;
  /**
   * The invoice's own `period_start`/`period_end`: the instant of creation for a first invoice, the
   * period just ended for a renewal (Stripe's convention).
   */
  invoicePeriod: { start: number; end: number };
  billingReason: 'subscription_create' | 'subscription_cycle';
}

/**
 * A subscription invoice, already paid: the emulator's customers always pay. One line for the one
 * subscription item, for the period it bills.
 */
export function newPaidSubscriptionInvoice(fields: NewSubscriptionInvoice): Stripe.Invoice {
  const { id, created, customer, subscription, item } = fields;
  const quantity = item.quantity ?? 1;
  const unitAmount = item.price.unit_amount ?? 0;
  const total = unitAmount * quantity;
  const product = idOf(item.price.product);
  const line: Stripe.InvoiceLineItem = {
    id: fields.lineItemId,
    object: 'line_item',
    amount: total,
    currency: item.price.currency,
    description: `${quantity} × ${item.price.nickname ?? product} (at ${formatAmount(unitAmount, item.price.currency)} / ${item.price.recurring?.interval ?? 'month'})`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: { ...subscription.metadata },
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: subscription.id,
        subscription_item: item.id,
      },
      type: 'subscription_item_details',
    },
    period: { start: fields.periodStart, end: fields.periodEnd },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: item.price.id, product },
      type: 'price_details',
      unit_amount_decimal: Stripe.Decimal.from(String(unitAmount)),
    },
    quantity,
    quantity_decimal: Stripe.Decimal.from(String(quantity)),
    subscription: subscription.id,
    subtotal: total,
    taxes: [],
  };
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Acme (Stripe emulator)',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: total,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: total > 0 ? 1 : 0,
    attempted: true,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: fields.billingReason,
    collection_method: 'charge_automatically',
    created,
    currency: item.price.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [line], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: fields.number,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.invoicePeriod.end,
    period_start: fields.invoicePeriod.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'paid',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: created, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
  };
}

/**
 * The invoice as it was when each of its creation events fired: `invoice.created` carries the draft,
 * `invoice.finalized` the open invoice, the payment events the paid one.
 */
export function invoiceAsDraft(invoice: Stripe.Invoice): Stripe.Invoice {
  return {
    ...asOpen(invoice),
    status: 'draft',
    number: null,
    effective_at: null,
    status_transitions: { ...invoice.status_transitions, finalized_at: null, paid_at: null },
  };
}

export function invoiceAsOpen(invoice: Stripe.Invoice): Stripe.Invoice {
  return asOpen(invoice);
}

function asOpen(invoice: Stripe.Invoice): Stripe.Invoice {
  return {
    ...invoice,
    status: 'open',
    amount_paid: 0,
    amount_remaining: invoice.amount_due,
    attempt_count: 0,
    attempted: false,
    status_transitions: { ...invoice.status_transitions, paid_at: null },
    webhooks_delivered_at: null,
  };
}

function formatAmount(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
}

export const retrieveInvoice: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const invoice = context.store.invoices.get(id);
  if (!invoice) throw resourceMissing('invoice', id);
  return ok(expandObject(invoice, expand, context.store));
};

export const listInvoices: ApiHandler = ({ params }, context) => {
  const input = parseParams(
    {
      ...pageFields,
      customer: field.string,
      subscription: field.string,
      status: field.enum('draft', 'open', 'paid', 'uncollectible', 'void'),
      collection_method: field.enum('charge_automatically', 'send_invoice'),
    },
    params,
  );
  return listResult(
    context,
    '/v1/invoices',
    context.store.invoices.ordered(),
    (invoice) =>
      (input.customer === undefined || invoice.customer === input.customer) &&
      (input.subscription === undefined || subscriptionOf(invoice) === input.subscription) &&
      (input.status === undefined || invoice.status === input.status) &&
      (input.collection_method === undefined || invoice.collection_method === input.collection_method),
    input,
    'invoice',
  );
};

/** Since API version 2025-03-31 an invoice names its subscription under `parent.subscription_details`. */
export function subscriptionOf(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  return subscription === undefined ? null : idOf(subscription);
}
