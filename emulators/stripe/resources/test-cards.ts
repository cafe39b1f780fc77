/** How a test card behaves when charged: approved, or declined with Stripe's codes and messages. */
export type CardOutcome =
  | { readonly kind: 'approved' }
  | {
      readonly kind: 'declined';
      readonly code: string;
      readonly declineCode: string;
      readonly message: string;
      readonly sellerMessage: string;
    };

export interface TestCard {
  readonly brand: 'visa' | 'mastercard' | 'amex';
  readonly last4: string;
  readonly funding: 'credit' | 'debit';
  readonly country: string;
  readonly fingerprint: string;
  readonly outcome: CardOutcome;
}

const APPROVED: CardOutcome = { kind: 'approved' };
const NO_FURTHER_DETAILS = 'The bank did not return any further details with this decline.';

/**
 * Stripe's test-mode PaymentMethod tokens (docs: "Testing" → "Declined payments"). Confirming with one
 * creates a new `pm_…` carrying that card, as Stripe does.
 */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit', country: 'US', fingerprint: 'Xt5EWLLDS7FJjR1c', outcome: APPROVED },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit', country: 'US', fingerprint: 'Mq3dGv1cKXw8pTzR', outcome: APPROVED },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit', country: 'US', fingerprint: 'Ob8JgkUFxxyDvIzx', outcome: APPROVED },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit', country: 'US', fingerprint: 'Vr4mPq2LzXc7NwKe', outcome: APPROVED },
  pm_card_chargeDeclined: {
    brand: 'visa', last4: '0002', funding: 'credit', country: 'US', fingerprint: 'Gq8yBd2PzLu5HcWn',
    outcome: { kind: 'declined', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.', sellerMessage: NO_FURTHER_DETAILS },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa', last4: '9995', funding: 'credit', country: 'US', fingerprint: 'Tn2cKw9RxEv4YaJm',
    outcome: { kind: 'declined', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.', sellerMessage: NO_FURTHER_DETAILS },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa', last4: '0069', funding: 'credit', country: 'US', fingerprint: 'Lp6wHs3NdQz8UbFr',
    outcome: { kind: 'declined', code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.', sellerMessage: NO_FURTHER_DETAILS },
  },
};

/** Test cards never expire inside a test run: a fixed date years ahead. */
export const TEST_CARD_EXPIRY = { exp_month: 12, exp_year: 2034 } as const;
