import type Stripe from 'stripe';
import { isResourceMissing } from './errors.ts';
import type { PaymentIntentModel, PaymentIntentPageModel, RefundModel } from './models.ts';
import { pageParams, toPage } from './pages.ts';

/** Payment intent and refund calls. Writes always carry an Idempotency-Key. */

export async function retrievePaymentIntent(stripe: Stripe, id: string): Promise<PaymentIntentModel | null> {
  try {
    return await stripe.paymentIntents.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

export async function listPaymentIntents(stripe: Stripe, { customer, first, after }: { customer: string; first: number; after?: string | null }): Promise<PaymentIntentPageModel> {
  return toPage(await stripe.paymentIntents.list({ customer, ...pageParams(first, after) }), after);
}

export function createPaymentIntent(stripe: Stripe, params: Stripe.PaymentIntentCreateParams, idempotencyKey: string): Promise<PaymentIntentModel> {
  return stripe.paymentIntents.create(params, { idempotencyKey });
}

export function confirmPaymentIntent(stripe: Stripe, id: string, params: Stripe.PaymentIntentConfirmParams, idempotencyKey: string): Promise<PaymentIntentModel> {
  return stripe.paymentIntents.confirm(id, params, { idempotencyKey });
}

export function cancelPaymentIntent(
  stripe: Stripe,
  id: string,
  reason: Stripe.PaymentIntentCancelParams.CancellationReason | undefined,
  idempotencyKey: string,
): Promise<PaymentIntentModel> {
  return stripe.paymentIntents.cancel(id, reason ? { cancellation_reason: reason } : {}, { idempotencyKey });
}

export function createRefund(stripe: Stripe, params: Stripe.RefundCreateParams, idempotencyKey: string): Promise<RefundModel> {
  return stripe.refunds.create(params, { idempotencyKey });
}

/** Every refund of one payment intent (a payment has a handful at most: one page of 100). */
export async function listRefunds(stripe: Stripe, paymentIntent: string): Promise<RefundModel[]> {
  return (await stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 })).data;
}

export function capturePaymentIntent(stripe: Stripe, id: string, amountToCapture: number | undefined, idempotencyKey: string): Promise<PaymentIntentModel> {
  return stripe.paymentIntents.capture(id, amountToCapture === undefined ? {} : { amount_to_capture: amountToCapture }, { idempotencyKey });
}
