import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { stripeError } from '../support/stripe-error.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

/**
 * Partial capture, then refunds, as on Stripe: the released part of the authorisation is booked as a
 * refund (it counts in the charge's `amount_refunded` and is listed among its refunds), and exactly the
 * captured amount stays refundable. See README, "Stripe emulator", for the sources.
 */
describe('Stripe emulator: refunds after a partial capture', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0, seed: false });
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 0 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  function chargeEvents(chargeId: string, type: string): Stripe.Event[] {
    return emulator.events.list().filter((event) => event.type === type && (event.data.object as { id?: string }).id === chargeId);
  }

  it('refunds the whole captured 1000 of a 1500 hold in two refunds, and refuses a third', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1_500, currency: 'usd', capture_method: 'manual', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    const held = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(held).toMatchObject({ status: 'requires_capture', amount_capturable: 1_500, amount_received: 0 });

    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 1_000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1_000, amount_capturable: 0 });
    const chargeId = captured.latest_charge as string;
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount: 1_500, amount_captured: 1_000, amount_refunded: 500, captured: true, refunded: false });
    // The released 500 is a refund of the charge, as Stripe lists it.
    const release = (await stripe.refunds.list({ charge: chargeId })).data;
    expect(release).toMatchObject([{ object: 'refund', amount: 500, charge: chargeId, payment_intent: held.id, status: 'succeeded' }]);
    expect(chargeEvents(chargeId, 'charge.captured')[0]?.data.object).toMatchObject({ amount_captured: 1_000, amount_refunded: 500, refunded: false });

    // More than the 1000 captured is refused with Stripe's amount error.
    const tooMuch = await stripeError(stripe.refunds.create({ payment_intent: held.id, amount: 1_001 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'amount' });
    expect(tooMuch.code).toBeUndefined();
    expect(tooMuch.message).toBe('Refund amount ($10.01) is greater than unrefunded amount on charge ($10.00)');

    const first = await stripe.refunds.create({ payment_intent: held.id, amount: 600 });
    expect(first).toMatchObject({ amount: 600, charge: chargeId, status: 'succeeded' });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount: 1_500, amount_captured: 1_000, amount_refunded: 1_100, refunded: false });

    // Without an amount, a refund takes what is left of the captured amount: 400.
    const second = await stripe.refunds.create({ charge: chargeId });
    expect(second).toMatchObject({ amount: 400, charge: chargeId, status: 'succeeded' });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount: 1_500, amount_captured: 1_000, amount_refunded: 1_500, refunded: true });
    expect((await stripe.paymentIntents.retrieve(held.id)).amount_received).toBe(1_000);

    const third = await stripeError(stripe.refunds.create({ payment_intent: held.id, amount: 1 }));
    expect(third).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'charge_already_refunded' });
    expect(third.message).toBe(`Charge ${chargeId} has already been refunded.`);

    const refunded = chargeEvents(chargeId, 'charge.refunded').map((event) => ({ object: event.data.object as Stripe.Charge, before: event.data.previous_attributes }));
    expect(refunded.map(({ object }) => [object.amount_refunded, object.refunded])).toEqual([[1_100, false], [1_500, true]]);
    expect(refunded.map(({ before }) => before)).toEqual([{ amount_refunded: 500, refunded: false }, { amount_refunded: 1_100, refunded: false }]);
    expect((await stripe.refunds.list({ payment_intent: held.id })).data.map((refund) => refund.amount)).toEqual([400, 600, 500]);
  });

  it('a whole capture releases nothing: no refund, and all of it stays refundable', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1_500, currency: 'usd', capture_method: 'manual', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    const captured = await stripe.paymentIntents.capture(created.id);
    const chargeId = captured.latest_charge as string;
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_captured: 1_500, amount_refunded: 0, refunded: false });
    expect((await stripe.refunds.list({ charge: chargeId })).data).toEqual([]);
    expect((await stripe.refunds.create({ charge: chargeId })).amount).toBe(1_500);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 1_500, refunded: true });
  });
});
