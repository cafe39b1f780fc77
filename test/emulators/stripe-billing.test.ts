import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { SEED_PRICE_IDS, SEED_PRODUCT_IDS, seedSubscriptions } from '../../emulators/stripe/fixtures/seed.ts';
import { stripeError } from '../support/stripe-error.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

/** Tamsin Whitfield: a seed customer without a seeded subscription. */
const TAMSIN = 'cus_J7yEq1kHd9LuPr';
const FIXED_NOW = Date.UTC(2026, 0, 31, 15, 30, 0); // 31 January: the next monthly period ends on 28 February

describe('Stripe emulator: catalogue, subscriptions and invoices through the SDK', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ now: () => FIXED_NOW });
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  describe('catalogue', () => {
    it('lists products, all or by active, with an expandable default price', async () => {
      const all = await stripe.products.list();
      expect(all.data.map((product) => product.id)).toEqual([SEED_PRODUCT_IDS.legacy, SEED_PRODUCT_IDS.workshop, SEED_PRODUCT_IDS.pro, SEED_PRODUCT_IDS.starter]);
      const active = await stripe.products.list({ active: true, expand: ['data.default_price'] });
      expect(active.data.map((product) => product.id)).not.toContain(SEED_PRODUCT_IDS.legacy);
      const pro = active.data.find((product) => product.id === SEED_PRODUCT_IDS.pro);
      expect(pro?.default_price).toMatchObject({ id: SEED_PRICE_IDS.proMonthly, unit_amount: 2_900, recurring: { interval: 'month', interval_count: 1 } });

      const starter = await stripe.products.retrieve(SEED_PRODUCT_IDS.starter, { expand: ['default_price'] });
      expect(starter).toMatchObject({ name: 'Acme Starter', active: true, default_price: { id: SEED_PRICE_IDS.starterMonthly } });
    });

    it('lists active prices by default, filters by product and type, and expands the product', async () => {
      const active = await stripe.prices.list({ limit: 100 });
      expect(active.data.map((price) => price.id).sort()).toEqual(
        [SEED_PRICE_IDS.starterMonthly, SEED_PRICE_IDS.starterYearly, SEED_PRICE_IDS.proMonthly, SEED_PRICE_IDS.proYearly, SEED_PRICE_IDS.workshop].sort(),
      );
      const inactive = await stripe.prices.list({ active: false });
      expect(inactive.data.map((price) => price.id)).toEqual([SEED_PRICE_IDS.legacyMonthly]);

      const pro = await stripe.prices.list({ product: SEED_PRODUCT_IDS.pro, expand: ['data.product'] });
      expect(pro.data.map((price) => price.id)).toEqual([SEED_PRICE_IDS.proYearly, SEED_PRICE_IDS.proMonthly]);
      expect(pro.data[0]?.product).toMatchObject({ id: SEED_PRODUCT_IDS.pro, name: 'Acme Pro' });

      const oneTime = await stripe.prices.list({ type: 'one_time' });
      expect(oneTime.data.map((price) => price.id)).toEqual([SEED_PRICE_IDS.workshop]);

      const workshop = await stripe.prices.retrieve(SEED_PRICE_IDS.workshop);
      expect(workshop).toMatchObject({ type: 'one_time', recurring: null, unit_amount: 49_900, currency: 'usd' });
      // The SDK reads the wire's decimal string into its Decimal type.
      expect(workshop.unit_amount_decimal?.toString()).toBe('49900');
    });
  });

  describe('subscription lifecycle', () => {
    let subscription: Stripe.Subscription;

    it('creates an active subscription whose first invoice is paid by the default payment method, emitting invoice.paid', async () => {
      // Without a payment method the subscription would be `incomplete` (see stripe-subscription-payments.test.ts).
      const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: TAMSIN });
      await stripe.customers.update(TAMSIN, { invoice_settings: { default_payment_method: card.id } });
      const before = emulator.events.list().length;
      subscription = await stripe.subscriptions.create(
        { customer: TAMSIN, items: [{ price: SEED_PRICE_IDS.proMonthly, quantity: 2 }], metadata: { team: 'design' }, expand: ['latest_invoice', 'customer'] },
        { idempotencyKey: 'subscribe-tamsin-pro' },
      );
      const now = Math.floor(FIXED_NOW / 1000);
      expect(subscription).toMatchObject({
        object: 'subscription',
        status: 'active',
        currency: 'usd',
        metadata: { team: 'design' },
        cancel_at_period_end: false,
        canceled_at: null,
        created: now,
        start_date: now,
        customer: { id: TAMSIN, currency: 'usd' },
      });
      expect(subscription.id).toMatch(/^sub_/);
      const [item] = subscription.items.data;
      expect(item).toMatchObject({ object: 'subscription_item', quantity: 2, price: { id: SEED_PRICE_IDS.proMonthly }, plan: { id: SEED_PRICE_IDS.proMonthly, interval: 'month' } });
      expect(item?.id).toMatch(/^si_/);
      expect(item?.current_period_start).toBe(now);
      expect(item?.current_period_end).toBe(Date.UTC(2026, 1, 28, 15, 30, 0) / 1000); // 31 Jan + 1 month, clamped

      const invoice = subscription.latest_invoice as Stripe.Invoice;
      expect(invoice).toMatchObject({
        object: 'invoice',
        status: 'paid',
        billing_reason: 'subscription_create',
        customer: TAMSIN,
        total: 5_800,
        amount_due: 5_800,
        amount_paid: 5_800,
        amount_remaining: 0,
        parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id } },
      });
      expect(invoice.id).toMatch(/^in_/);
      expect(invoice.number).toMatch(/^[A-Z0-9]{8}-0001$/);
      expect(invoice.lines.data[0]).toMatchObject({ amount: 5_800, quantity: 2, period: { start: now, end: item?.current_period_end } });

      const events = emulator.events.list().slice(before);
      expect(events.map((event) => event.type)).toEqual([
        'customer.updated', // Stripe sets the customer's billing currency
        'customer.subscription.created', // incomplete until its first invoice is paid
        'invoice.created',
        'invoice.finalized',
        'payment_intent.created',
        'charge.succeeded',
        'payment_intent.succeeded',
        'invoice.paid',
        'invoice.payment_succeeded',
        'customer.subscription.updated', // incomplete → active
      ]);
      const [created, finalized] = events.filter((event) => event.type === 'invoice.created' || event.type === 'invoice.finalized');
      expect((created?.data.object as Stripe.Invoice).status).toBe('draft');
      expect((finalized?.data.object as Stripe.Invoice).status).toBe('open');
      expect(events.at(-1)?.data.previous_attributes).toEqual({ status: 'incomplete' });
      expect(events.every((event) => event.created === now && event.request?.idempotency_key === 'subscribe-tamsin-pro')).toBe(true);
    });

    it('finds the subscription and its invoice by customer and by subscription', async () => {
      const byCustomer = await stripe.subscriptions.list({ customer: TAMSIN });
      expect(byCustomer.data.map((s) => s.id)).toEqual([subscription.id]);
      const invoices = await stripe.invoices.list({ subscription: subscription.id });
      expect(invoices.data.map((invoice) => invoice.id)).toEqual([(subscription.latest_invoice as Stripe.Invoice).id]);
      expect((await stripe.invoices.list({ customer: TAMSIN })).data.length).toBe(1);
      const invoice = await stripe.invoices.retrieve(invoices.data[0]!.id, { expand: ['customer'] });
      expect(invoice.customer).toMatchObject({ id: TAMSIN, name: 'Tamsin Whitfield' });
    });

    it('updates metadata and cancel_at_period_end, with previous attributes', async () => {
      const updated = await stripe.subscriptions.update(subscription.id, { metadata: { team: 'brand', cost_centre: '42' }, cancel_at_period_end: true });
      const periodEnd = subscription.items.data[0]!.current_period_end;
      expect(updated).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: periodEnd, metadata: { team: 'brand', cost_centre: '42' } });
      expect(updated.cancellation_details?.reason).toBe('cancellation_requested');

      const event = emulator.events.list().findLast((e) => e.type === 'customer.subscription.updated');
      expect(event?.data.previous_attributes).toMatchObject({
        cancel_at_period_end: false,
        cancel_at: null,
        metadata: { team: 'design', cost_centre: null },
      });

      const resumed = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
      expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    });

    it('cancels with DELETE: status canceled, customer.subscription.deleted, then only listed when asked', async () => {
      const canceled = await stripe.subscriptions.cancel(subscription.id, { cancellation_details: { comment: 'Moving to annual', feedback: 'switched_service' } });
      const now = Math.floor(FIXED_NOW / 1000);
      expect(canceled).toMatchObject({
        status: 'canceled',
        canceled_at: now,
        ended_at: now,
        cancellation_details: { comment: 'Moving to annual', feedback: 'switched_service', reason: 'cancellation_requested' },
      });
      expect(emulator.events.list().at(-1)).toMatchObject({ type: 'customer.subscription.deleted', data: { object: { id: subscription.id, status: 'canceled' } } });

      expect((await stripe.subscriptions.list({ customer: TAMSIN })).data).toEqual([]);
      expect((await stripe.subscriptions.list({ customer: TAMSIN, status: 'canceled' })).data.map((s) => s.id)).toEqual([subscription.id]);
      expect((await stripe.subscriptions.list({ customer: TAMSIN, status: 'all' })).data.map((s) => s.id)).toEqual([subscription.id]);

      const again = await stripeError(stripe.subscriptions.cancel(subscription.id));
      expect(again.statusCode).toBe(400);
      const update = await stripeError(stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }));
      expect(update.message).toBe('A canceled subscription can only update its cancellation_details and metadata.');
    });

    it('refuses one-time, inactive and unknown prices, and unknown customers', async () => {
      const oneTime = await stripeError(stripe.subscriptions.create({ customer: TAMSIN, items: [{ price: SEED_PRICE_IDS.workshop }] }));
      expect(oneTime.param).toBe('items[0][price]');
      const inactive = await stripeError(stripe.subscriptions.create({ customer: TAMSIN, items: [{ price: SEED_PRICE_IDS.legacyMonthly }] }));
      expect(inactive.message).toMatch(/inactive/);
      const unknownPrice = await stripeError(stripe.subscriptions.create({ customer: TAMSIN, items: [{ price: 'price_nope' }] }));
      expect(unknownPrice).toMatchObject({ code: 'resource_missing', param: 'items[0][price]' });
      const unknownCustomer = await stripeError(stripe.subscriptions.create({ customer: 'cus_nobody000000', items: [{ price: SEED_PRICE_IDS.proMonthly }] }));
      expect(unknownCustomer).toMatchObject({ code: 'resource_missing', param: 'customer' });
      const noItems = await stripeError(stripe.subscriptions.create({ customer: TAMSIN } as Stripe.SubscriptionCreateParams));
      expect(noItems).toMatchObject({ code: 'parameter_missing', param: 'items' });
    });

    it('ends a customer’s subscriptions when the customer is deleted', async () => {
      const customer = await stripe.customers.create({ email: 'leaving@example.com' });
      const subscribed = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.starterMonthly }] });
      await stripe.customers.del(customer.id);
      expect((await stripe.subscriptions.retrieve(subscribed.id)).status).toBe('canceled');
      const tail = emulator.events.list().slice(-2).map((event) => event.type);
      expect(tail).toEqual(['customer.subscription.deleted', 'customer.deleted']);
    });
  });

  describe('seeded subscriptions', () => {
    it('lists the six active seed subscriptions by default and all eight with status=all', async () => {
      const seededIds = new Set(seedSubscriptions.map((s) => s.id));
      const active = (await stripe.subscriptions.list({ limit: 100 })).data.filter((s) => seededIds.has(s.id));
      expect(active.length).toBe(6);
      const all = (await stripe.subscriptions.list({ status: 'all', limit: 100 })).data.filter((s) => seededIds.has(s.id));
      expect(all.length).toBe(8);
      expect(all.filter((s) => s.status === 'canceled').length).toBe(2);
    });

    it('keeps each seeded subscription’s paid invoices, latest first', async () => {
      for (const seeded of seedSubscriptions) {
        const invoices = await stripe.invoices.list({ subscription: seeded.id });
        expect(invoices.data.map((invoice) => invoice.id)).toEqual([...seeded.invoices].reverse().map((invoice) => invoice.id));
        expect(invoices.data.every((invoice) => invoice.status === 'paid' && invoice.customer === seeded.customerId)).toBe(true);
        const subscription = await stripe.subscriptions.retrieve(seeded.id);
        expect(subscription.latest_invoice).toBe(seeded.invoices.at(-1)?.id);
        expect(subscription.status).toBe(seeded.canceledAt === null ? 'active' : 'canceled');
      }
      const brightline = await stripe.invoices.list({ customer: 'cus_R7kPzW4hYs1DuG' });
      expect(brightline.data.map((invoice) => invoice.billing_reason)).toEqual(['subscription_cycle', 'subscription_cycle', 'subscription_create']);
      expect(brightline.data.map((invoice) => invoice.total)).toEqual([14_500, 14_500, 14_500]); // 5 seats of Pro
    });
  });
});
