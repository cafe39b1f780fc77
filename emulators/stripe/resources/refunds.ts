import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { applyMetadata, expandField, field, pageFields, parseParams } from '../params.ts';
import { invalidRequest, resourceMissing } from '../stripe-error.ts';
import { newRefund, refundableAmount, refundedCharge } from './charge-refunds.ts';
import { requireCharge } from './charges.ts';
import { requirePaymentIntent } from './payment-intents.ts';

const createFields = {
  payment_intent: field.string,
  charge: field.string,
  amount: field.integer,
  reason: field.enum('duplicate', 'fraudulent', 'requested_by_customer'),
  metadata: field.metadata,
  expand: expandField,
} as const;

export const createRefund: ApiHandler = ({ params }, context) => {
  const input = parseParams(createFields, params);
  const charge = chargeToRefund(context, input.payment_intent, input.charge);
  const remaining = refundableAmount(charge);
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = input.amount ?? remaining;
  if (amount < 1) throw invalidRequest('Invalid positive integer', { param: 'amount' });
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(remaining, charge.currency)})`,
      // Stripe names the parameter but gives no code here (see README, Stripe emulator).
      { param: 'amount' },
    );
  }

  const refund = newRefund({
    id: context.ids.next('re'),
    created: context.now(),
    charge,
    amount,
    reason: input.reason ?? null,
    metadata: applyMetadata({}, input.metadata),
    balanceTransactionId: context.ids.next('txn'),
  });
  checkExpandable(refund, input.expand, context.store);
  context.store.refunds.insert(refund);
  const after = context.store.charges.replace(refundedCharge(charge, amount));
  context.emit('refund.created', refund);
  context.emit('charge.refunded', after, { amount_refunded: charge.amount_refunded, refunded: charge.refunded });
  return ok(expandObject(refund, input.expand, context.store));
};

export const retrieveRefund: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const refund = context.store.refunds.get(id);
  if (!refund) throw resourceMissing('refund', id);
  return ok(expandObject(refund, expand, context.store));
};

export const listRefunds: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, payment_intent: field.string, charge: field.string }, params);
  return listResult(
    context,
    '/v1/refunds',
    context.store.refunds.ordered(),
    (refund) =>
      (input.payment_intent === undefined || refund.payment_intent === input.payment_intent) &&
      (input.charge === undefined || refund.charge === input.charge),
    input,
    'refund',
  );
};

/** The succeeded charge a refund applies to, named directly or through its payment intent. */
function chargeToRefund(context: ApiContext, paymentIntentId: string | undefined, chargeId: string | undefined): Stripe.Charge {
  if (!paymentIntentId && !chargeId) {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', {
      code: 'parameter_missing',
      param: 'payment_intent',
    });
  }
  if (chargeId) {
    const charge = requireCharge(context, chargeId, 'charge');
    if (paymentIntentId && charge.payment_intent !== paymentIntentId) {
      throw invalidRequest(`Charge ${chargeId} does not belong to PaymentIntent ${paymentIntentId}.`, { param: 'charge' });
    }
    if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${chargeId} has not succeeded and cannot be refunded.`, { param: 'charge' });
    return charge;
  }
  const paymentIntent = requirePaymentIntent(context, paymentIntentId ?? '', 'payment_intent');
  const latest = typeof paymentIntent.latest_charge === 'string' ? context.store.charges.get(paymentIntent.latest_charge) : undefined;
  if (paymentIntent.status !== 'succeeded' || !latest || latest.status !== 'succeeded') {
    throw invalidRequest(`This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
  }
  return latest;
}

/** "$12.50" for messages; zero-decimal currencies are printed as they are. */
function money(amount: number, currency: string): string {
  const zeroDecimal = ['jpy', 'krw', 'vnd', 'clp', 'pyg', 'ugx', 'xaf', 'xof'].includes(currency);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(zeroDecimal ? amount : amount / 100);
}
