/** How a test card behaves when charged: approved, or declined with Stripe's codes and messages. */
export type CardOutcome =
  | { readonly kind: 'approved' }
  | {
      readonly kind: 'declined';
      readonly code: string;
      readonly declineCode: string;
      readonly message: string;
      readonly sellerMessage: string;
      /** `issuer_declined`, or `blocked` when Radar refused it before it reached the network. */
      readonly outcomeType: 'issuer_declined' | 'blocked';
    };

/**
 * When the issuer asks for 3-D Secure: `never`; `always` (every payment and setup, however the card was
 * saved); `unless_set_up` (setups and payments, except with a card already saved through a SetupIntent).
 */
export type Authentication = 'never' | 'always' | 'unless_set_up';

export interface TestCard {
  readonly brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay';
  readonly last4: string;
  readonly funding: 'credit' | 'debit' | 'prepaid';
  readonly country: string;
  readonly fingerprint: string;
  /** The card number Stripe documents for it (`card[number]` on PaymentMethod creation); absent for token-only ones. */
  readonly number?: string;
  readonly outcome: CardOutcome;
  readonly authentication: Authentication;
  /** A declining card that still attaches (Stripe's `pm_card_chargeCustomerFail`); others are refused on attach. */
  readonly attachable?: boolean;
  /** Emulator only: the payment sits in `processing` for PROCESSING_SECONDS of the emulator's clock, then succeeds. */
  readonly processing?: boolean;
}

/** How long a `processing` test payment takes on the emulator's clock before it succeeds. */
export const PROCESSING_SECONDS = 5;

const APPROVED: CardOutcome = { kind: 'approved' };
const NO_FURTHER_DETAILS = 'The bank did not return any further details with this decline.';

type Declined = Extract<CardOutcome, { kind: 'declined' }>;

function declined(code: string, declineCode: string, message: string, sellerMessage = NO_FURTHER_DETAILS): Declined {
  return { kind: 'declined', code, declineCode, message, sellerMessage, outcomeType: 'issuer_declined' };
}

type CardSpec = Omit<TestCard, 'authentication' | 'outcome' | 'country' | 'funding'> &
  Partial<Pick<TestCard, 'authentication' | 'outcome' | 'country' | 'funding'>>;

function card(spec: CardSpec): TestCard {
  return { country: 'US', funding: 'credit', outcome: APPROVED, authentication: 'never', ...spec };
}

const GENERIC = declined('card_declined', 'generic_decline', 'Your card was declined.');
const INSUFFICIENT = declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.');
const LOST = declined('card_declined', 'lost_card', 'Your card was declined.');
const STOLEN = declined('card_declined', 'stolen_card', 'Your card was declined.');
const FRAUDULENT = declined('card_declined', 'fraudulent', 'Your card was declined.');

/**
 * Stripe's test-mode PaymentMethod tokens (docs: "Testing": cards by brand, declined payments, fraud
 * prevention, authentication and 3D Secure). Confirming or attaching one creates a new `pm_…` carrying
 * that card, as Stripe does. The one place the emulator's test cards are listed.
 */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  // Successful payments, by brand.
  pm_card_visa: card({ brand: 'visa', last4: '4242', number: '4242424242424242', fingerprint: 'Xt5EWLLDS7FJjR1c' }),
  pm_card_visa_debit: card({ brand: 'visa', last4: '5556', number: '4000056655665556', funding: 'debit', fingerprint: 'Mq3dGv1cKXw8pTzR' }),
  pm_card_mastercard: card({ brand: 'mastercard', last4: '4444', number: '5555555555554444', fingerprint: 'Ob8JgkUFxxyDvIzx' }),
  pm_card_mastercard_debit: card({ brand: 'mastercard', last4: '8210', number: '5200828282828210', funding: 'debit', fingerprint: 'Hy2kLm9QwEr5TxBn' }),
  pm_card_mastercard_prepaid: card({ brand: 'mastercard', last4: '5100', number: '5105105105105100', funding: 'prepaid', fingerprint: 'Pz7cVb3NmKq1WsDe' }),
  pm_card_amex: card({ brand: 'amex', last4: '8431', number: '378282246310005', fingerprint: 'Vr4mPq2LzXc7NwKe' }),
  pm_card_discover: card({ brand: 'discover', last4: '1117', number: '6011111111111117', fingerprint: 'Dk4sWq8ZxVb2NmLp' }),
  pm_card_diners: card({ brand: 'diners', last4: '0004', number: '3056930009020004', fingerprint: 'Rn6tYu1IoPa9SdFg' }),
  pm_card_jcb: card({ brand: 'jcb', last4: '0505', number: '3566002020360505', country: 'JP', fingerprint: 'Jc3bHn7MkLq5WeRt' }),
  pm_card_unionpay: card({ brand: 'unionpay', last4: '0005', number: '6200000000000005', country: 'CN', fingerprint: 'Up8yGt2FdSa6QwEr' }),

  // Declines, with the decline code the issuer gives.
  pm_card_chargeDeclined: card({ brand: 'visa', last4: '0002', number: '4000000000000002', fingerprint: 'Gq8yBd2PzLu5HcWn', outcome: GENERIC }),
  pm_card_visa_chargeDeclined: card({ brand: 'visa', last4: '0002', fingerprint: 'Gq8yBd2PzLu5HcWn', outcome: GENERIC }),
  pm_card_chargeDeclinedInsufficientFunds: card({ brand: 'visa', last4: '9995', number: '4000000000009995', fingerprint: 'Tn2cKw9RxEv4YaJm', outcome: INSUFFICIENT }),
  pm_card_visa_chargeDeclinedInsufficientFunds: card({ brand: 'visa', last4: '9995', fingerprint: 'Tn2cKw9RxEv4YaJm', outcome: INSUFFICIENT }),
  pm_card_chargeDeclinedLostCard: card({ brand: 'visa', last4: '9987', number: '4000000000009987', fingerprint: 'Lc5vBn8MqWe3RtYu', outcome: LOST }),
  pm_card_visa_chargeDeclinedLostCard: card({ brand: 'visa', last4: '9987', fingerprint: 'Lc5vBn8MqWe3RtYu', outcome: LOST }),
  pm_card_chargeDeclinedStolenCard: card({ brand: 'visa', last4: '9979', number: '4000000000009979', fingerprint: 'St1gHj4KlZx7CvBn', outcome: STOLEN }),
  pm_card_visa_chargeDeclinedStolenCard: card({ brand: 'visa', last4: '9979', fingerprint: 'St1gHj4KlZx7CvBn', outcome: STOLEN }),
  pm_card_chargeDeclinedExpiredCard: card({
    brand: 'visa', last4: '0069', number: '4000000000000069', fingerprint: 'Lp6wHs3NdQz8UbFr',
    outcome: declined('expired_card', 'expired_card', 'Your card has expired.'),
  }),
  pm_card_chargeDeclinedIncorrectCvc: card({
    brand: 'visa', last4: '0127', number: '4000000000000127', fingerprint: 'Cv9nMb2VcXz6LkJh',
    outcome: declined('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  }),
  pm_card_chargeDeclinedProcessingError: card({
    brand: 'visa', last4: '0119', number: '4000000000000119', fingerprint: 'Pe4rTy7UiOp1AsDf',
    outcome: declined('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  }),
  pm_card_chargeDeclinedFraudulentCard: card({ brand: 'visa', last4: '0019', fingerprint: 'Fr2dGh5JkLz8XcVb', outcome: FRAUDULENT }),
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: card({
    brand: 'visa', last4: '6975', number: '4000000000006975', fingerprint: 'Vl3kJh6GfDs9AzXc',
    outcome: declined('card_declined', 'card_velocity_exceeded', 'Your card was declined.'),
  }),
  // Attaches to a customer, then every charge is declined.
  pm_card_chargeCustomerFail: card({ brand: 'visa', last4: '0341', number: '4000000000000341', fingerprint: 'Cf7gHn1BvCx4ZaSd', outcome: GENERIC, attachable: true }),

  // Radar: blocked before reaching the card network.
  pm_card_radarBlock: card({
    brand: 'visa', last4: '0019', number: '4100000000000019', fingerprint: 'Rb5nMk8JhGf2DsAq',
    outcome: { ...FRAUDULENT, sellerMessage: 'Stripe blocked this payment as too risky.', outcomeType: 'blocked' },
  }),

  // 3-D Secure.
  pm_card_authenticationRequired: card({ brand: 'visa', last4: '3184', number: '4000002760003184', fingerprint: 'Au1hYt4RfEd7WsQa', authentication: 'always' }),
  pm_card_threeDSecure2Required: card({ brand: 'visa', last4: '3220', number: '4000000000003220', fingerprint: 'Td2sEc5RtYu8IoPl', authentication: 'always' }),
  pm_card_authenticationRequiredOnSetup: card({ brand: 'visa', last4: '3155', number: '4000002500003155', fingerprint: 'Os3eTu6PqWe9RtYk', authentication: 'unless_set_up' }),
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: card({
    brand: 'visa', last4: '3178', number: '4000008260003178', fingerprint: 'Ad4cIf7ShJk1LzXm', authentication: 'always', outcome: INSUFFICIENT,
  }),

  // Emulator only (Stripe has no card that does this): the payment is `processing`, then succeeds.
  pm_emulator_cardProcessing: card({ brand: 'visa', last4: '1111', fingerprint: 'Em9pRc2GsTd5YhUj', processing: true }),
};

/** Stripe's card tokens (`tok_visa`, `tok_chargeDeclined`…) for `payment_method_data[card][token]` and PaymentMethod creation. */
export function testCardForToken(token: string): TestCard | undefined {
  if (!token.startsWith('tok_')) return undefined;
  return TEST_CARDS[`pm_card_${token.slice('tok_'.length)}`];
}

/** The test card a documented number stands for (`card[number]=4242424242424242`). */
export function testCardForNumber(number: string): TestCard | undefined {
  const digits = number.replace(/\s/g, '');
  return Object.values(TEST_CARDS).find((candidate) => candidate.number === digits);
}

/** Test cards never expire inside a test run: a fixed date years ahead. */
export const TEST_CARD_EXPIRY = { exp_month: 12, exp_year: 2034 } as const;
