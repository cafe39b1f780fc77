import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { stripeError } from '../support/stripe-error.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

const ADA = 'cus_Qm3vT8rLx2NcAe';
/** Card payments confirmed server-side, without redirect-based methods (else Stripe wants a return_url). */
const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } as const;

describe('Stripe emulator: payment intents, charges and refunds through the SDK', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  function eventsFor(objectId: string): Stripe.Event[] {
    return emulator.events.list().filter((event) => (event.data.object as { id?: string }).id === objectId);
  }

  it('creates and confirms in one call with pm_card_visa: succeeded, with an expandable latest charge', async () => {
    const paymentIntent = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      customer: ADA,
      payment_method: 'pm_card_visa',
      confirm: true,
      description: 'Two stickers',
      metadata: { order_id: 'ord_9001' },
      receipt_email: 'ada.okafor@example.com',
      ...NO_REDIRECTS,
      expand: ['latest_charge', 'customer'],
    });
    expect(paymentIntent).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 2_000,
      amount_received: 2_000,
      currency: 'usd',
      description: 'Two stickers',
      metadata: { order_id: 'ord_9001' },
      last_payment_error: null,
      livemode: false,
    });
    expect(paymentIntent.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(paymentIntent.client_secret).toMatch(new RegExp(`^${paymentIntent.id}_secret_[A-Za-z0-9]+$`));
    // The test token becomes a payment method of its own, as on Stripe.
    expect(paymentIntent.payment_method).toMatch(/^pm_/);
    expect(paymentIntent.payment_method).not.toBe('pm_card_visa');
    expect(paymentIntent.customer).toMatchObject({ id: ADA, name: 'Ada Okafor' });

    const charge = paymentIntent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      paid: true,
      captured: true,
      amount: 2_000,
      amount_refunded: 0,
      refunded: false,
      payment_intent: paymentIntent.id,
      customer: ADA,
      metadata: { order_id: 'ord_9001' },
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });
    expect(charge.id).toMatch(/^ch_/);

    expect(eventsFor(paymentIntent.id).map((e) => e.type)).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
    expect(eventsFor(charge.id).map((e) => e.type)).toEqual(['charge.succeeded']);
    const created = eventsFor(paymentIntent.id)[0]!;
    expect(created.data.object).toMatchObject({ status: 'requires_confirmation' }); // a snapshot, not the live object
    expect(created.request?.id).toMatch(/^req_/);
    expect(created.request?.idempotency_key).toMatch(/^stripe-node-retry-/); // the SDK keys every POST
  });

  it('creates, then confirms separately with pm_card_mastercard', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1_250, currency: 'eur', customer: ADA, ...NO_REDIRECTS });
    expect(created.status).toBe('requires_payment_method');
    expect(created.latest_charge).toBeNull();
    expect(created.automatic_payment_methods).toEqual({ enabled: true, allow_redirects: 'never' });

    const retrieved = await stripe.paymentIntents.retrieve(created.id, { client_secret: created.client_secret! });
    expect(retrieved.client_secret).toBe(created.client_secret);

    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_mastercard' });
    expect(confirmed.status).toBe('succeeded');
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge.payment_method_details?.card?.brand).toBe('mastercard');
    expect(charge.currency).toBe('eur');
  });

  it('wants a return_url when redirect-based methods are allowed, like Stripe, and creates nothing', async () => {
    const before = (await stripe.paymentIntents.list({ customer: ADA, limit: 100 })).data.length;
    const error = await stripeError(
      stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', customer: ADA, payment_method: 'pm_card_visa', confirm: true }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.message).toMatch(/^A `return_url` must be specified/);
    expect((await stripe.paymentIntents.list({ customer: ADA, limit: 100 })).data.length).toBe(before);

    const withReturnUrl = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      return_url: 'https://example.com/return',
    });
    expect(withReturnUrl.status).toBe('succeeded');
    const cardOnly = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    expect(cardOnly.status).toBe('succeeded');
    expect(cardOnly.automatic_payment_methods).toBeNull();
    expect(cardOnly.allowed_payment_method_types).toEqual(['card']);
    expect(cardOnly.payment_method_types).toEqual(['card']);

    // This API version renamed `payment_method_types` on requests to `allowed_payment_method_types`.
    const renamed = await stripeError(
      stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams),
    );
    expect(renamed).toMatchObject({ code: 'parameter_unknown', param: 'payment_method_types' });
  });

  it('declines pm_card_chargeDeclined with a StripeCardError, leaving the intent to be retried', async () => {
    const created = await stripe.paymentIntents.create({ amount: 3_000, currency: 'usd', customer: ADA, ...NO_REDIRECTS });
    const error = await stripeError(stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_chargeDeclined' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('generic_decline');
    expect(error.message).toBe('Your card was declined.');
    expect(error.charge).toMatch(/^ch_/);
    expect(error.payment_intent).toMatchObject({ id: created.id, status: 'requires_payment_method' });
    expect(error.payment_method).toMatchObject({ object: 'payment_method', card: { last4: '0002' } });

    const after = await stripe.paymentIntents.retrieve(created.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.payment_method).toBeNull();
    expect(after.latest_charge).toBe(error.charge);
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', charge: error.charge });
    const failedCharge = await stripe.charges.retrieve(error.charge!);
    expect(failedCharge).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined', outcome: { type: 'issuer_declined' } });
    expect(eventsFor(created.id).map((e) => e.type)).toEqual(['payment_intent.created', 'payment_intent.payment_failed']);
    expect(eventsFor(error.charge!).map((e) => e.type)).toEqual(['charge.failed']);

    // A second attempt with a good card succeeds on the same intent.
    const retried = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
    expect(retried.last_payment_error).toBeNull();
  });

  it('declines pm_card_chargeDeclinedInsufficientFunds with decline_code insufficient_funds, also on create+confirm', async () => {
    const error = await stripeError(
      stripe.paymentIntents.create({ amount: 5_000, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true, ...NO_REDIRECTS }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.decline_code).toBe('insufficient_funds');
    expect(error.message).toBe('Your card has insufficient funds.');
    // The intent exists (it was created before the card was tried).
    const stored = await stripe.paymentIntents.retrieve(error.payment_intent!.id);
    expect(stored.status).toBe('requires_payment_method');
  });

  it('cancels with a reason, and refuses to cancel or confirm what has finished', async () => {
    const created = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', ...NO_REDIRECTS });
    const canceled = await stripe.paymentIntents.cancel(created.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(canceled.canceled_at).toBeGreaterThan(0);
    expect(eventsFor(created.id).map((e) => e.type)).toEqual(['payment_intent.created', 'payment_intent.canceled']);

    const again = await stripeError(stripe.paymentIntents.cancel(created.id));
    expect(again.code).toBe('payment_intent_unexpected_state');
    const confirm = await stripeError(stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' }));
    expect(confirm.code).toBe('payment_intent_unexpected_state');
    expect(confirm.payment_intent?.status).toBe('canceled');

    const badReason = await stripeError(
      stripe.paymentIntents.cancel(created.id, { cancellation_reason: 'bored' as Stripe.PaymentIntentCancelParams.CancellationReason }),
    );
    expect(badReason.param).toBe('cancellation_reason');
  });

  it('updates metadata and amount before confirmation', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', metadata: { a: '1' }, ...NO_REDIRECTS });
    const updated = await stripe.paymentIntents.update(created.id, { amount: 1_500, metadata: { b: '2' }, description: 'Bigger' });
    expect(updated).toMatchObject({ amount: 1_500, metadata: { a: '1', b: '2' }, description: 'Bigger' });
    const tooSmall = await stripeError(stripe.paymentIntents.update(created.id, { amount: 10 }));
    expect(tooSmall.code).toBe('amount_too_small');
  });

  it('validates creation parameters like Stripe', async () => {
    const missing = await stripeError(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' });
    const small = await stripeError(stripe.paymentIntents.create({ amount: 49, currency: 'usd' }));
    expect(small).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    const noCustomer = await stripeError(stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', customer: 'cus_nobody000000' }));
    expect(noCustomer).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_nobody000000'" });
    const noMethod = await stripeError(stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_nope' }));
    expect(noMethod).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
    const unknown = await stripeError(stripe.paymentIntents.retrieve('pi_doesnotexist'));
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such payment_intent: 'pi_doesnotexist'" });
  });

  it('lists payment intents by customer, newest first, mixing seeded and new ones', async () => {
    const all = await stripe.paymentIntents.list({ customer: ADA, limit: 3 }).autoPagingToArray({ limit: 100 });
    expect(all.every((paymentIntent) => paymentIntent.customer === ADA)).toBe(true);
    const created = all.map((paymentIntent) => paymentIntent.created);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(all.filter((paymentIntent) => paymentIntent.id.startsWith('pi_3SeedPay')).length).toBe(2); // Ada's seeded payments
    expect(all.length).toBeGreaterThan(2);
  });

  describe('refunds', () => {
    async function paidIntent(amount: number): Promise<Stripe.PaymentIntent> {
      return stripe.paymentIntents.create({ amount, currency: 'usd', customer: ADA, payment_method: 'pm_card_visa', confirm: true, ...NO_REDIRECTS });
    }

    it('refunds in part, then the rest, marking the charge refunded only at the end', async () => {
      const paymentIntent = await paidIntent(10_000);
      const chargeId = paymentIntent.latest_charge as string;

      const partial = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 2_500, reason: 'requested_by_customer' });
      expect(partial).toMatchObject({ object: 'refund', amount: 2_500, status: 'succeeded', charge: chargeId, payment_intent: paymentIntent.id, reason: 'requested_by_customer' });
      expect(partial.id).toMatch(/^re_/);
      expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 2_500, refunded: false });

      const tooMuch = await stripeError(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 8_000 }));
      expect(tooMuch).toMatchObject({ code: undefined, param: 'amount' });
      expect(tooMuch.message).toBe('Refund amount ($80.00) is greater than unrefunded amount on charge ($75.00)');

      const rest = await stripe.refunds.create({ charge: chargeId });
      expect(rest.amount).toBe(7_500);
      expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 10_000, refunded: true });

      const again = await stripeError(stripe.refunds.create({ payment_intent: paymentIntent.id }));
      expect(again.code).toBe('charge_already_refunded');

      const listed = await stripe.refunds.list({ payment_intent: paymentIntent.id });
      expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);
      expect((await stripe.refunds.list({ charge: chargeId })).data.length).toBe(2);

      const chargeEvents = eventsFor(chargeId).filter((e) => e.type === 'charge.refunded');
      expect(chargeEvents.map((e) => (e.data.object as Stripe.Charge).amount_refunded)).toEqual([2_500, 10_000]);
      expect(chargeEvents[1]?.data.previous_attributes).toEqual({ amount_refunded: 2_500, refunded: false });
      expect(eventsFor(partial.id).map((e) => e.type)).toEqual(['refund.created']);
    });

    it('refunds the whole payment by default, and refuses payments that never succeeded', async () => {
      const paymentIntent = await paidIntent(4_200);
      const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id }, { idempotencyKey: 'refund-full-4200' });
      expect(refund.amount).toBe(4_200);
      expect(await stripe.charges.retrieve(paymentIntent.latest_charge as string)).toMatchObject({ refunded: true });

      const open = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', ...NO_REDIRECTS });
      const error = await stripeError(stripe.refunds.create({ payment_intent: open.id }));
      expect(error.statusCode).toBe(400);
      expect(error.message).toMatch(/does not have a successful charge to refund/);
      const neither = await stripeError(stripe.refunds.create({}));
      expect(neither.code).toBe('parameter_missing');
    });

    it('serves the seeded refunds', async () => {
      const refunds = await stripe.refunds.list({ limit: 100 });
      expect(refunds.data.filter((refund) => refund.id.startsWith('re_3SeedRfd')).length).toBe(4);
    });
  });

  it('serves events through /v1/events, newest first, filterable by type', async () => {
    const page = await stripe.events.list({ type: 'payment_intent.*', limit: 100 });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((event) => event.type.startsWith('payment_intent.'))).toBe(true);
    const inOrder = emulator.events.list().filter((event) => event.type.startsWith('payment_intent.'));
    expect(page.data.map((event) => event.id)).toEqual(inOrder.map((event) => event.id).reverse());

    const one = await stripe.events.retrieve(page.data[0]!.id);
    expect(one).toMatchObject({ object: 'event', api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 0 });
    expect(one.id).toMatch(/^evt_/);
    const missing = await stripeError(stripe.events.retrieve('evt_missing'));
    expect(missing.statusCode).toBe(404);
  });
});
