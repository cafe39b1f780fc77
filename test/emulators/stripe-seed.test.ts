import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUCKETS, seededKeys } from '../../emulators/s3/fixtures/seed.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import {
  SEED_EPOCH,
  seedPaymentIntents,
  seedProducts,
  seedStripeCustomers,
  seedSubscriptions,
} from '../../emulators/stripe/fixtures/seed.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

describe('Stripe emulator: seed', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  const extraEmulators: StripeEmulator[] = [];

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = stripeClientFor(emulator);
  });

  afterAll(async () => {
    await Promise.all([emulator?.close(), ...extraEmulators.map((extra) => extra.close())]);
  });

  it('describes the shared seed customers, dated from a fixed epoch, with their S3 prefixes', () => {
    expect(seedStripeCustomers.map((customer) => customer.id)).toEqual(seedCustomers.map((customer) => customer.id));
    for (const customer of seedStripeCustomers) {
      expect(customer.created).toBeGreaterThanOrEqual(SEED_EPOCH);
      expect(customer.metadata['storage_prefix']).toBe(`customers/${customer.id}/`);
    }
    // The S3 emulator seeds files under most of these prefixes (every fifth customer has none yet).
    const withFiles = seedStripeCustomers.filter((customer) => seededKeys(SEED_BUCKETS.customerFiles, customer.metadata['storage_prefix']).length > 0);
    expect(withFiles).toHaveLength(16);
    const linked = seedStripeCustomers.filter((customer) => customer.metadata['github_login'] && customer.metadata['twitter_username']);
    expect(linked.map((customer) => customer.name)).toEqual(['Ada Okafor', 'Dmitri Sokolov', 'Granite Peak Analytics', 'Kwame Mensah', 'Northwind Outfitters', 'Priya Raman']);
  });

  it('has the promised shape: 4 products, 30 payments in several states, refunds, 8 subscriptions', () => {
    expect(seedProducts).toHaveLength(4);
    expect(seedProducts.flatMap((product) => product.prices)).toHaveLength(6);
    expect(seedPaymentIntents).toHaveLength(30);
    const byOutcome: Record<string, number> = {};
    for (const payment of seedPaymentIntents) byOutcome[payment.outcome] = (byOutcome[payment.outcome] ?? 0) + 1;
    expect(byOutcome).toEqual({
      succeeded: 21,
      declined: 3,
      canceled: 3,
      requires_payment_method: 3,
    });
    expect(seedPaymentIntents.flatMap((payment) => payment.refunds)).toHaveLength(4);
    expect(seedSubscriptions).toHaveLength(8);
    expect(seedSubscriptions.filter((subscription) => subscription.canceledAt !== null)).toHaveLength(2);
    expect(seedSubscriptions.flatMap((subscription) => subscription.invoices)).toHaveLength(18);
  });

  it('serves every seeded payment in its state, with charges and refunds that add up', async () => {
    const payments = await stripe.paymentIntents.list({ limit: 100, expand: ['data.latest_charge'] });
    expect(payments.data.map((payment) => payment.id).sort()).toEqual(seedPaymentIntents.map((payment) => payment.id).sort());
    for (const seeded of seedPaymentIntents) {
      const payment = payments.data.find((candidate) => candidate.id === seeded.id)!;
      expect(payment).toMatchObject({ amount: seeded.amount, currency: seeded.currency, customer: seeded.customerId, created: seeded.created, metadata: seeded.metadata });
      const charge = payment.latest_charge as Stripe.Charge | null;
      switch (seeded.outcome) {
        case 'succeeded':
          expect(payment.status).toBe('succeeded');
          expect(charge).toMatchObject({ id: seeded.attempt?.chargeId, status: 'succeeded', amount_refunded: seeded.refunds.reduce((sum, refund) => sum + refund.amount, 0) });
          break;
        case 'declined':
          expect(payment.status).toBe('requires_payment_method');
          expect(payment.last_payment_error?.code).toBe('card_declined');
          expect(charge?.status).toBe('failed');
          break;
        case 'canceled':
          expect(payment).toMatchObject({ status: 'canceled', cancellation_reason: seeded.cancellation?.reason, latest_charge: null });
          break;
        case 'requires_payment_method':
          expect(payment).toMatchObject({ status: 'requires_payment_method', last_payment_error: null, latest_charge: null });
          break;
      }
    }
    const fullRefund = seedPaymentIntents[0]!;
    const fullyRefunded = await stripe.charges.retrieve(fullRefund.attempt!.chargeId);
    expect(fullyRefunded.refunded).toBe(true);
    const partial = seedPaymentIntents[4]!;
    expect(await stripe.charges.retrieve(partial.attempt!.chargeId)).toMatchObject({ amount_refunded: 7_500, refunded: false });
  });

  it('emits no events for the seed and counts no requests for it', async () => {
    const fresh = await startStripeEmulator();
    extraEmulators.push(fresh);
    expect(fresh.events.list()).toEqual([]);
    expect(fresh.requests.count()).toBe(0);
    expect((await stripeClientFor(fresh).events.list()).data).toEqual([]);
  });

  it('can start empty', async () => {
    const empty = await startStripeEmulator({ seed: false });
    extraEmulators.push(empty);
    const client = stripeClientFor(empty);
    expect((await client.customers.list()).data).toEqual([]);
    expect((await client.products.list()).data).toEqual([]);
  });

  it('is reproducible: the same calls on two emulators with the same clock give the same ids and bodies', async () => {
    const now = () => Date.UTC(2026, 2, 1);
    const runs = await Promise.all([startStripeEmulator({ now }), startStripeEmulator({ now })]);
    extraEmulators.push(...runs);
    const results = [];
    for (const run of runs) {
      const client = stripeClientFor(run);
      const customer = await client.customers.create({ email: 'same@example.com' });
      const payment = await client.paymentIntents.create({
        amount: 1_000,
        currency: 'usd',
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      results.push({ customer, payment, events: run.events.list().map((event) => ({ ...event, request: null })) });
    }
    const [first, second] = results;
    expect(second?.customer).toEqual(first?.customer);
    expect(second?.payment).toEqual(first?.payment);
    expect(second?.events).toEqual(first?.events);
  });
});
