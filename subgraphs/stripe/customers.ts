import type Stripe from 'stripe';
import { isResourceMissing } from './errors.ts';
import type { CustomerModel, CustomerPageModel } from './models.ts';
import { pageParams, toPage } from './pages.ts';

/** Customer calls. Deleted and unknown customers are both "not there" (null) to the rest of the subgraph. */

export async function retrieveCustomer(stripe: Stripe, id: string): Promise<CustomerModel | null> {
  try {
    const customer = await stripe.customers.retrieve(id);
    return customer.deleted ? null : customer;
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export async function listCustomers(stripe: Stripe, { first, after, email }: { first: number; after?: string | null; email?: string | null }): Promise<CustomerPageModel> {
  return toPage(await stripe.customers.list({ ...pageParams(first, after), ...(email ? { email } : {}) }), after);
}

export function createCustomer(stripe: Stripe, params: Stripe.CustomerCreateParams, idempotencyKey?: string): Promise<CustomerModel> {
  return stripe.customers.create(params, idempotencyKey ? { idempotencyKey } : undefined);
}

export function updateCustomer(stripe: Stripe, id: string, params: Stripe.CustomerUpdateParams): Promise<CustomerModel> {
  return stripe.customers.update(id, params);
}
