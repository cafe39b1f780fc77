import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { applyMetadata, expandField, field, nullableString, pageFields, parseParams } from '../params.ts';
import { hasChanges, previousAttributes } from '../previous-attributes.ts';
import { invalidRequest, resourceMissing } from '../stripe-error.ts';
import { canceledSubscription } from './subscription-cancellation.ts';

const writableFields = {
  name: field.string,
  email: field.string,
  description: field.string,
  phone: field.string,
  metadata: field.metadata,
  invoice_settings: field.object({ default_payment_method: field.string }),
  expand: expandField,
} as const;

export interface NewCustomer {
  id: string;
  created: number;
  name?: string | null;
  email?: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
  currency?: string | null;
}

/** A customer as Stripe returns it, with Stripe's defaults for everything the emulator does not model. */
export function newCustomer(fields: NewCustomer): Stripe.Customer {
  return {
    id: fields.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: fields.created,
    currency: fields.currency ?? null,
    default_source: null,
    delinquent: false,
    description: fields.description ?? null,
    discount: null,
    email: fields.email ?? null,
    invoice_prefix: invoicePrefixFor(fields.id),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    next_invoice_sequence: 1,
    phone: fields.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

/** Stripe gives every customer an 8-character invoice-number prefix; derive it from the id to stay stable. */
function invoicePrefixFor(id: string): string {
  return id.replace(/^cus_/, '').replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase().padEnd(8, '0');
}

/** The live customer with this id; a deleted or unknown one is missing. */
export function requireCustomer(context: ApiContext, id: string, param?: string): Stripe.Customer {
  const customer = context.store.customers.get(id);
  if (!customer) throw resourceMissing('customer', id, param);
  return customer;
}

export const createCustomer: ApiHandler = ({ params }, context) => {
  const input = parseParams(writableFields, params);
  const customer = newCustomer({
    id: context.ids.next('cus'),
    created: context.now(),
    name: nullableString(input.name, null),
    email: nullableString(input.email, null),
    description: nullableString(input.description, null),
    phone: nullableString(input.phone, null),
    metadata: applyMetadata({}, input.metadata),
  });
  checkExpandable(customer, input.expand, context.store);
  context.store.customers.insert(customer);
  context.emit('customer.created', customer);
  return ok(expandObject(customer, input.expand, context.store));
};

export const retrieveCustomer: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const customer = context.store.customerOrStub(id);
  if (!customer) throw resourceMissing('customer', id);
  return ok(expandObject(customer, expand, context.store));
};

export const updateCustomer: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(writableFields, params);
  const before = requireCustomer(context, id);
  checkExpandable(before, input.expand, context.store);
  const defaultPaymentMethod = input.invoice_settings?.default_payment_method;
  if (defaultPaymentMethod) {
    // Only a payment method saved to this customer can be its default (Stripe's message).
    const paymentMethod = context.store.paymentMethods.get(defaultPaymentMethod);
    if (!paymentMethod || paymentMethod.customer !== id) {
      throw invalidRequest(`No such PaymentMethod: '${defaultPaymentMethod}'; It's possible this PaymentMethod exists on one of your connected accounts, in which case you should retry this request on that connected account.`, {
        code: 'resource_missing',
        param: 'invoice_settings[default_payment_method]',
      });
    }
  }
  const after: Stripe.Customer = {
    ...before,
    invoice_settings:
      defaultPaymentMethod === undefined ? before.invoice_settings : { ...before.invoice_settings, default_payment_method: defaultPaymentMethod || null },
    name: nullableString(input.name, before.name ?? null),
    email: nullableString(input.email, before.email),
    description: nullableString(input.description, before.description),
    phone: nullableString(input.phone, before.phone ?? null),
    metadata: applyMetadata(before.metadata, input.metadata),
  };
  const previous = previousAttributes(before, after);
  if (hasChanges(previous)) {
    context.store.customers.replace(after);
    context.emit('customer.updated', after, previous);
  }
  return ok(expandObject(after, input.expand, context.store));
};

export const deleteCustomer: ApiHandler = ({ params, id }, context) => {
  parseParams({}, params);
  const customer = requireCustomer(context, id);
  context.store.customers.remove(id);
  context.store.deletedCustomers.add(id);
  // Deleting a customer ends their subscriptions at once, as on Stripe.
  for (const subscription of context.store.subscriptions.ordered()) {
    if (subscription.customer !== id || subscription.status === 'canceled') continue;
    const canceled = context.store.subscriptions.replace(canceledSubscription(subscription, context.now()));
    context.emit('customer.subscription.deleted', canceled);
  }
  context.emit('customer.deleted', customer);
  const deleted: Stripe.DeletedCustomer = { id, object: 'customer', deleted: true };
  return ok(deleted);
};

export const listCustomers: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, email: field.string }, params);
  return listResult(
    context,
    '/v1/customers',
    context.store.customers.ordered(),
    (customer) => input.email === undefined || customer.email === input.email,
    input,
    'customer',
  );
};
