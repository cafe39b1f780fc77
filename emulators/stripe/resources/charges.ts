import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { expandField, field, pageFields, parseParams } from '../params.ts';
import { resourceMissing } from '../stripe-error.ts';
import { TEST_CARD_EXPIRY, type TestCard } from './test-cards.ts';

export interface NewCharge {
  id: string;
  created: number;
  paymentIntent: Stripe.PaymentIntent;
  paymentMethodId: string;
  card: TestCard;
  /** Set for succeeded charges: Stripe books every captured charge as a balance transaction. */
  balanceTransactionId: string | null;
  /** False for an authorization held under `capture_method: manual`. Default: captured when approved. */
  captured?: boolean;
  /** Set when the charge followed a 3-D Secure authentication. */
  threeDSecure?: boolean;
}

/** The charge a confirmation attempt creates: succeeded or failed, as the test card dictates. */
export function newCharge({ id, created, paymentIntent, paymentMethodId, card, balanceTransactionId, captured: held, threeDSecure }: NewCharge): Stripe.Charge {
  const approved = card.outcome.kind === 'approved';
  const captured = approved && (held ?? true);
  const blocked = card.outcome.kind === 'declined' && card.outcome.outcomeType === 'blocked';
  const outcome: Stripe.Charge.Outcome =
    card.outcome.kind === 'approved'
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 32,
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: blocked ? 'not_sent_to_network' : 'declined_by_network',
          reason: blocked ? 'highest_risk_level' : card.outcome.declineCode,
          risk_level: blocked ? 'highest' : 'normal',
          risk_score: blocked ? 95 : 32,
          seller_message: card.outcome.sellerMessage,
          type: card.outcome.outcomeType,
        };
  return {
    id,
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: captured ? paymentIntent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? balanceTransactionId : null,
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'ACME',
    captured,
    created,
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: card.outcome.kind === 'declined' ? card.outcome.code : null,
    failure_message: card.outcome.kind === 'declined' ? card.outcome.message : null,
    fraud_details: {},
    livemode: false,
    metadata: { ...paymentIntent.metadata },
    on_behalf_of: null,
    outcome,
    paid: approved,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethodId,
    payment_method_details: {
      card: {
        amount_authorized: approved ? paymentIntent.amount : null,
        authorization_code: approved ? '123456' : null,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
        country: card.country,
        electronic_commerce_indicator: null,
        ...TEST_CARD_EXPIRY,
        fingerprint: card.fingerprint,
        funding: card.funding,
        installments: null,
        last4: card.last4,
        mandate: null,
        network: card.brand,
        network_transaction_id: approved ? '104102978678771' : null,
        regulated_status: 'unregulated',
        three_d_secure: threeDSecure ? { authentication_flow: 'challenge', electronic_commerce_indicator: '05', exemption_indicator: null, result: 'authenticated', result_reason: null, transaction_id: null, version: '2.2.0' } : null,
        transaction_link_id: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: paymentIntent.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: approved ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export function requireCharge(context: ApiContext, id: string, param?: string): Stripe.Charge {
  const charge = context.store.charges.get(id);
  if (!charge) throw resourceMissing('charge', id, param);
  return charge;
}

export const retrieveCharge: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  return ok(expandObject(requireCharge(context, id), expand, context.store));
};

export const listCharges: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, customer: field.string, payment_intent: field.string }, params);
  return listResult(
    context,
    '/v1/charges',
    context.store.charges.ordered(),
    (charge) =>
      (input.customer === undefined || charge.customer === input.customer) &&
      (input.payment_intent === undefined || charge.payment_intent === input.payment_intent),
    input,
    'charge',
  );
};
