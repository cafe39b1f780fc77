import type Stripe from 'stripe';
import { isResourceMissing } from './errors.ts';
import type { BillingSubscriptionModel, BillingSubscriptionPageModel, InvoiceModel, InvoicePageModel } from './models.ts';
import { pageParams, toPage } from './pages.ts';

/** Billing subscriptions and their invoices. */

export async function retrieveSubscription(stripe: Stripe, id: string): Promise<BillingSubscriptionModel | null> {
  try {
    return await stripe.subscriptions.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export async function listSubscriptions(
  stripe: Stripe,
  { customer, first, after, status }: { customer: string; first: number; after?: string | null; status?: Stripe.SubscriptionListParams.Status | undefined },
): Promise<BillingSubscriptionPageModel> {
  // Stripe lists only non-canceled subscriptions unless asked for `all`.
  return toPage(await stripe.subscriptions.list({ customer, status: status ?? 'all', ...pageParams(first, after) }), after);
}

export function createSubscription(stripe: Stripe, params: Stripe.SubscriptionCreateParams, idempotencyKey: string): Promise<BillingSubscriptionModel> {
  return stripe.subscriptions.create(params, { idempotencyKey });
}

export function cancelSubscription(stripe: Stripe, id: string, idempotencyKey: string): Promise<BillingSubscriptionModel> {
  return stripe.subscriptions.cancel(id, {}, { idempotencyKey });
}

export async function retrieveInvoice(stripe: Stripe, id: string): Promise<InvoiceModel | null> {
  try {
    // `payments` (the PaymentIntent paying it) is left out unless expanded: same call, and Invoice.paymentIntent needs it.
    return await stripe.invoices.retrieve(id, { expand: ['payments'] });
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export async function listInvoices(stripe: Stripe, { customer, first, after }: { customer: string; first: number; after?: string | null }): Promise<InvoicePageModel> {
  return toPage(await stripe.invoices.list({ customer, ...pageParams(first, after) }), after);
}
