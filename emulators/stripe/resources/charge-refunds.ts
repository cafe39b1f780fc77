import type Stripe from 'stripe';
import type { ApiContext } from '../api-context.ts';

/*
 * A charge's refund bookkeeping, as Stripe keeps it. A partial capture releases the rest of the
 * authorisation as a refund: it counts in `amount_refunded` and is listed among the charge's refunds,
 * yet the charge is not `refunded`. So what a refund may still take is `amount - amount_refunded`
 * (the captured amount less its refunds), and the charge is `refunded` once that reaches `amount`.
 */

export interface NewRefund {
  id: string;
  created: number;
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
  balanceTransactionId: string;
}

/** Card refunds in test mode succeed at once. */
export function newRefund({ id, created, charge, amount, reason, metadata, balanceTransactionId }: NewRefund): Stripe.Refund {
  return {
    id,
    object: 'refund',
    amount,
    balance_transaction: balanceTransactionId,
    charge: charge.id,
    created,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

/** What a refund may still take: nothing before capture, else the captured amount less its refunds. */
export function refundableAmount(charge: Stripe.Charge): number {
  return charge.captured ? charge.amount - charge.amount_refunded : 0;
}

/** The charge after a refund of `amount`: fully refunded once its whole `amount` is (released part included). */
export function refundedCharge(charge: Stripe.Charge, amount: number): Stripe.Charge {
  const amountRefunded = charge.amount_refunded + amount;
  return { ...charge, amount_refunded: amountRefunded, refunded: amountRefunded >= charge.amount };
}

/**
 * Captures `amount` of a held charge and stores the result: the charge, and for a partial capture the
 * refund that releases the rest (which is why the captured part alone stays refundable).
 */
export function captureCharge(context: ApiContext, held: Stripe.Charge, amount: number): Stripe.Charge {
  const captured: Stripe.Charge = { ...held, captured: true, amount_captured: amount, balance_transaction: context.ids.next('txn') };
  const released = held.amount - amount;
  if (released <= 0) return context.store.charges.replace(captured);
  context.store.refunds.insert(
    newRefund({ id: context.ids.next('re'), created: context.now(), charge: captured, amount: released, reason: null, metadata: {}, balanceTransactionId: context.ids.next('txn') }),
  );
  return context.store.charges.replace(refundedCharge(captured, released));
}
