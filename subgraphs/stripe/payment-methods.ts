import type Stripe from 'stripe';
import { isResourceMissing } from './errors.ts';
import type { CheckoutSessionModel, PaymentMethodModel, SetupIntentModel } from './models.ts';

/** Saved cards, SetupIntents and Checkout Sessions: what a frontend needs to take a payment. */

/** A customer's saved cards, newest first (a wallet has a handful: one page of 100). */
export async function listCustomerPaymentMethods(stripe: Stripe, customerId: string): Promise<PaymentMethodModel[]> {
  return (await stripe.customers.listPaymentMethods(customerId, { limit: 100 })).data;
}

/** Null for an unknown id, and for a test token (`pm_card_visa`), which only becomes a `pm_…` when used. */
export async function retrievePaymentMethod(stripe: Stripe, id: string): Promise<PaymentMethodModel | null> {
  try {
    return await stripe.paymentMethods.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export function attachPaymentMethod(stripe: Stripe, id: string, customerId: string, idempotencyKey: string): Promise<PaymentMethodModel> {
  return stripe.paymentMethods.attach(id, { customer: customerId }, { idempotencyKey });
}

export function detachPaymentMethod(stripe: Stripe, id: string): Promise<PaymentMethodModel> {
  return stripe.paymentMethods.detach(id);
}

export function setDefaultPaymentMethod(stripe: Stripe, customerId: string, paymentMethodId: string): Promise<Stripe.Customer> {
  return stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } });
}

export function createSetupIntent(stripe: Stripe, params: Stripe.SetupIntentCreateParams, idempotencyKey: string): Promise<SetupIntentModel> {
  return stripe.setupIntents.create(params, { idempotencyKey });
}

export function createCheckoutSession(stripe: Stripe, params: Stripe.Checkout.SessionCreateParams, idempotencyKey: string): Promise<CheckoutSessionModel> {
  return stripe.checkout.sessions.create(params, { idempotencyKey });
}

export async function retrieveCheckoutSession(stripe: Stripe, id: string): Promise<CheckoutSessionModel | null> {
  try {
    return await stripe.checkout.sessions.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}
