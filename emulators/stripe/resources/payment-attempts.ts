import type Stripe from 'stripe';
import type { ApiContext } from '../api-context.ts';
import { cloneObject } from '../clone.ts';
import { nullableString } from '../params.ts';
import { docUrlFor, StripeApiError } from '../stripe-error.ts';
import { newCharge } from './charges.ts';
import { settleInvoiceOf } from './invoice-payments.ts';
import { threeDSecureAction } from './next-action.ts';
import { PROCESSING_SECONDS, type CardOutcome, type TestCard } from './test-cards.ts';

/** What charging a card now would do, decided before anything is stored (so a refusal can create nothing). */
export type AttemptDecision =
  | { kind: 'approved' }
  | { kind: 'processing' }
  | { kind: 'requires_action' }
  | { kind: 'declined'; outcome: Extract<CardOutcome, { kind: 'declined' }> };

export interface AttemptOptions {
  returnUrl?: string | undefined;
  /** The customer is not there to authenticate (a renewal, a server-side charge). */
  offSession?: boolean | undefined;
  /** 3-D Secure was just completed for this attempt. */
  authenticated?: boolean | undefined;
  receiptEmail?: string | undefined;
}

const AUTHENTICATION_REQUIRED: Extract<CardOutcome, { kind: 'declined' }> = {
  kind: 'declined',
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
  sellerMessage: 'The cardholder must authenticate this payment.',
  outcomeType: 'issuer_declined',
};

export function decideAttempt(card: TestCard, paymentMethodId: string | undefined, options: AttemptOptions, setUp: ReadonlySet<string>): AttemptDecision {
  const needsAuthentication =
    !options.authenticated && (card.authentication === 'always' || (card.authentication === 'unless_set_up' && !(paymentMethodId && setUp.has(paymentMethodId))));
  if (needsAuthentication) return options.offSession ? { kind: 'declined', outcome: AUTHENTICATION_REQUIRED } : { kind: 'requires_action' };
  if (card.outcome.kind === 'declined') return { kind: 'declined', outcome: card.outcome };
  return card.processing ? { kind: 'processing' } : { kind: 'approved' };
}

/**
 * One confirmation of a payment intent with a payment method: it succeeds (or, under manual capture,
 * waits for capture), waits for 3-D Secure, goes through `processing`, or is declined. A decline records
 * a failed charge, puts the intent back to `requires_payment_method` and throws a 402 card error kept for
 * idempotent replay (the state did change).
 */
export function attemptPayment(context: ApiContext, paymentIntent: Stripe.PaymentIntent, paymentMethod: Stripe.PaymentMethod, options: AttemptOptions): Stripe.PaymentIntent {
  const card = context.store.cardOfPaymentMethod.get(paymentMethod.id);
  if (!card) throw new Error(`payment method ${paymentMethod.id} has no test card`);
  const attempt: Stripe.PaymentIntent = {
    ...paymentIntent,
    payment_method: paymentMethod.id,
    receipt_email: nullableString(options.receiptEmail, paymentIntent.receipt_email),
    next_action: null,
  };
  const decision = decideAttempt(card, paymentMethod.id, options, context.store.setUpPaymentMethods);
  switch (decision.kind) {
    case 'requires_action': {
      const waiting: Stripe.PaymentIntent = { ...attempt, status: 'requires_action', next_action: threeDSecureAction(context.baseUrl, attempt, options.returnUrl) };
      context.store.paymentIntents.replace(waiting);
      context.emit('payment_intent.requires_action', waiting);
      return waiting;
    }
    case 'processing': {
      const processing: Stripe.PaymentIntent = { ...attempt, status: 'processing', processing: { type: 'card', card: {} } };
      context.store.paymentIntents.replace(processing);
      context.emit('payment_intent.processing', processing);
      context.store.scheduled.push({
        at: context.now() + PROCESSING_SECONDS,
        run: (later) => {
          const current = later.store.paymentIntents.get(processing.id);
          if (current?.status === 'processing') authorize(later, { ...current, processing: null }, paymentMethod.id, card, false);
        },
      });
      return processing;
    }
    case 'declined':
      return decline(context, attempt, paymentMethod, card, decision.outcome, Boolean(options.authenticated));
    case 'approved':
      return authorize(context, attempt, paymentMethod.id, card, Boolean(options.authenticated));
  }
}

/** The issuer approved: a charge, then `succeeded`, or `requires_capture` for a manual-capture intent. */
function authorize(context: ApiContext, attempt: Stripe.PaymentIntent, paymentMethodId: string, card: TestCard, threeDSecure: boolean): Stripe.PaymentIntent {
  const manual = attempt.capture_method === 'manual';
  const charge = context.store.charges.insert(
    newCharge({
      id: context.ids.next('ch'),
      created: context.now(),
      paymentIntent: attempt,
      paymentMethodId,
      card,
      balanceTransactionId: manual ? null : context.ids.next('txn'),
      captured: !manual,
      threeDSecure,
    }),
  );
  context.emit('charge.succeeded', charge);
  if (manual) {
    const held: Stripe.PaymentIntent = { ...attempt, status: 'requires_capture', amount_capturable: attempt.amount, latest_charge: charge.id, last_payment_error: null, next_action: null };
    context.store.paymentIntents.replace(held);
    context.emit('payment_intent.amount_capturable_updated', held);
    return held;
  }
  const succeeded: Stripe.PaymentIntent = { ...attempt, status: 'succeeded', amount_received: attempt.amount, latest_charge: charge.id, last_payment_error: null, next_action: null };
  context.store.paymentIntents.replace(succeeded);
  context.emit('payment_intent.succeeded', succeeded);
  settleInvoiceOf(context, succeeded);
  return succeeded;
}

function decline(
  context: ApiContext,
  attempt: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  card: TestCard,
  outcome: Extract<CardOutcome, { kind: 'declined' }>,
  threeDSecure: boolean,
): never {
  const charge = context.store.charges.insert(
    newCharge({ id: context.ids.next('ch'), created: context.now(), paymentIntent: attempt, paymentMethodId: paymentMethod.id, card: { ...card, outcome }, balanceTransactionId: null, threeDSecure }),
  );
  const { code, declineCode, message } = outcome;
  const failed: Stripe.PaymentIntent = {
    ...attempt,
    status: 'requires_payment_method',
    payment_method: null,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: { type: 'card_error', code, decline_code: declineCode, message, charge: charge.id, doc_url: docUrlFor(code), payment_method: cloneObject(paymentMethod) },
  };
  context.store.paymentIntents.replace(failed);
  context.emit('charge.failed', charge);
  context.emit('payment_intent.payment_failed', failed);
  throw new StripeApiError(
    402,
    { type: 'card_error', code, decline_code: declineCode, message, charge: charge.id, doc_url: docUrlFor(code), payment_intent: cloneObject(failed), payment_method: cloneObject(paymentMethod) },
    true,
  );
}

/**
 * The customer finished (or failed) 3-D Secure on the authentication page. Approved: the payment goes on
 * to the issuer, which may still decline it (then the decline is recorded and no error is thrown: the
 * page is not an API call). Failed: `requires_payment_method` with `payment_intent_authentication_failure`.
 */
export function completePaymentAuthentication(context: ApiContext, paymentIntent: Stripe.PaymentIntent, approve: boolean): Stripe.PaymentIntent {
  const paymentMethodId = typeof paymentIntent.payment_method === 'string' ? paymentIntent.payment_method : paymentIntent.payment_method?.id;
  const paymentMethod = paymentMethodId ? context.store.paymentMethods.get(paymentMethodId) : undefined;
  if (!paymentMethod) throw new Error(`payment intent ${paymentIntent.id} waits for authentication without a payment method`);
  if (approve) {
    try {
      return attemptPayment(context, paymentIntent, paymentMethod, { authenticated: true });
    } catch (error) {
      if (error instanceof StripeApiError && error.committed) return context.store.paymentIntents.get(paymentIntent.id) ?? paymentIntent;
      throw error;
    }
  }
  const failed: Stripe.PaymentIntent = {
    ...paymentIntent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      doc_url: docUrlFor('payment_intent_authentication_failure'),
      payment_method: cloneObject(paymentMethod),
    },
  };
  context.store.paymentIntents.replace(failed);
  context.emit('payment_intent.payment_failed', failed);
  return failed;
}
