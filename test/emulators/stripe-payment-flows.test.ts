import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { SEED_PRICE_IDS } from '../../emulators/stripe/fixtures/seed.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

/** The emulator's clock, moved by the tests (subscriptions expire after 23 hours, processing payments settle). */
let now = Date.UTC(2026, 2, 2, 9, 0, 0);
let emulator: StripeEmulator;
let stripe: Stripe;
beforeAll(async () => {
  emulator = await startStripeEmulator({ now: () => now, duePollMs: 20 });
  stripe = stripeClientFor(emulator, { maxNetworkRetries: 0 });
});
afterAll(async () => {
  await emulator?.close();
});

const cardError = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a Stripe error'); }, (error: unknown) => error as Stripe.errors.StripeError);
const newCustomer = (email: string) => stripe.customers.create({ email });
const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

/** The customer's side of a test page: POSTs a form, never follows redirects. */
const submit = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('subscriptions and payment_behavior', () => {
  it('leaves a subscription without a payment method incomplete, its invoice open with a PaymentIntent to confirm; paying it activates the subscription', async () => {
    const customer = await newCustomer('no-card@example.com');
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.proMonthly }], expand: ['latest_invoice.confirmation_secret', 'latest_invoice.payments'] });
    expect(subscription.status).toBe('incomplete');
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'open', amount_paid: 0, confirmation_secret: { type: 'payment_intent', client_secret: expect.stringMatching(/^pi_.+_secret_/) } });
    const paymentIntentId = invoice.payments?.data[0]?.payment.payment_intent as string;
    expect(invoice.confirmation_secret?.client_secret.startsWith(`${paymentIntentId}_secret_`)).toBe(true);
    expect(await stripe.paymentIntents.retrieve(paymentIntentId)).toMatchObject({ status: 'requires_payment_method', amount: invoice.amount_due, customer: customer.id });
    // Not included unless expanded, as on Stripe.
    expect((await stripe.invoices.retrieve(invoice.id!)).confirmation_secret).toBeUndefined();

    const paid = await stripe.paymentIntents.confirm(paymentIntentId, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('succeeded');
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect((await stripe.invoices.retrieve(invoice.id!)).status).toBe('paid');
  });

  it('expires an unpaid incomplete subscription after 23 hours on the emulator clock: incomplete_expired, invoice void', async () => {
    const customer = await newCustomer('forgetful@example.com');
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.starterMonthly }] });
    now += 22 * 3_600_000;
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('incomplete');
    now += 3_600_000;
    const expired = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(expired.status).toBe('incomplete_expired');
    expect((expired.latest_invoice as Stripe.Invoice).status).toBe('void');
    const events = emulator.events.list().filter((event) => (event.data.object as { id: string }).id === subscription.id);
    expect(events.at(-1)).toMatchObject({ type: 'customer.subscription.updated', request: { id: null }, data: { previous_attributes: { status: 'incomplete' } } });
  });

  it('error_if_incomplete refuses a customer without a payment method, and a declined card with 402, creating nothing', async () => {
    const customer = await newCustomer('strict@example.com');
    const subscriptionsBefore = (await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length;
    const noMethod = await cardError(stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.proMonthly }], payment_behavior: 'error_if_incomplete' }));
    expect(noMethod).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    const card = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    const declined = await cardError(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.proMonthly }], payment_behavior: 'error_if_incomplete', default_payment_method: card.id }),
    );
    expect(declined).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length).toBe(subscriptionsBefore);
  });

  it('default_incomplete does not charge even with a default payment method; with allow_incomplete it is active at once', async () => {
    const customer = await newCustomer('defaults@example.com');
    const card = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    const waiting = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.starterMonthly }], payment_behavior: 'default_incomplete', expand: ['latest_invoice.payments'] });
    expect(waiting.status).toBe('incomplete');
    const intent = (waiting.latest_invoice as Stripe.Invoice).payments?.data[0]?.payment.payment_intent as string;
    expect((await stripe.paymentIntents.retrieve(intent)).status).toBe('requires_confirmation');
    const active = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.proMonthly }] });
    expect(active.status).toBe('active');
  });

  it('a card that always asks for 3-D Secure leaves the subscription incomplete with its PaymentIntent in requires_action', async () => {
    const customer = await newCustomer('sca-sub@example.com');
    const card = await stripe.paymentMethods.attach('pm_card_authenticationRequired', { customer: customer.id });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: SEED_PRICE_IDS.proMonthly }], default_payment_method: card.id, expand: ['latest_invoice.payments'] });
    expect(subscription.status).toBe('incomplete');
    const intent = await stripe.paymentIntents.retrieve((subscription.latest_invoice as Stripe.Invoice).payments?.data[0]?.payment.payment_intent as string);
    expect(intent).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    const url = intent.next_action?.use_stripe_sdk?.['stripe_js'] as string;
    expect((await submit(url, { action: 'approve' })).status).toBe(200);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});

describe('payment methods and setup intents', () => {
  it('attaches, lists, sets as default and detaches payment methods; an unknown pm_ id is resource_missing', async () => {
    const customer = await newCustomer('wallet@example.com');
    const created = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_amex' } });
    expect(created).toMatchObject({ type: 'card', customer: null, card: { brand: 'amex', last4: '8431' } });
    await stripe.paymentMethods.attach(created.id, { customer: customer.id });
    const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(visa.id).toMatch(/^pm_/);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([visa.id, created.id]);
    expect((await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(2);
    const updated = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(visa.id);
    await stripe.paymentMethods.detach(visa.id);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ invoice_settings: { default_payment_method: null } });
    expect((await stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([created.id]);

    const unknown = await cardError(stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_card_doesNotExist', confirm: true, automatic_payment_methods: NO_REDIRECTS }));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });
    const declinedAttach = await cardError(stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }));
    expect(declinedAttach).toMatchObject({ statusCode: 402, decline_code: 'generic_decline' });
  });

  it('saves a card with a SetupIntent, through 3-D Secure where the card asks for it', async () => {
    const customer = await newCustomer('setup@example.com');
    const plain = await stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: NO_REDIRECTS });
    expect(plain.status).toBe('succeeded');
    const sca = await stripe.setupIntents.create({ customer: customer.id, automatic_payment_methods: NO_REDIRECTS });
    const waiting = await stripe.setupIntents.confirm(sca.id, { payment_method: 'pm_card_authenticationRequiredOnSetup', return_url: 'https://shop.example/saved' });
    expect(waiting).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://shop.example/saved' } } });
    const answer = await submit(waiting.next_action!.redirect_to_url!.url!, { action: 'approve' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`https://shop.example/saved?setup_intent=${sca.id}&setup_intent_client_secret=${encodeURIComponent(sca.client_secret!)}&redirect_status=succeeded`);
    const saved = await stripe.setupIntents.retrieve(sca.id);
    expect(saved.status).toBe('succeeded');
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(2);
    // Once set up, the card pays off-session without a new challenge.
    const offSession = await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', customer: customer.id, payment_method: saved.payment_method as string, confirm: true, off_session: true, automatic_payment_methods: NO_REDIRECTS });
    expect(offSession.status).toBe('succeeded');
  });
});

describe('3-D Secure, manual capture and processing', () => {
  const create = (paymentMethod: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    stripe.paymentIntents.create({ amount: 5_000, currency: 'usd', payment_method: paymentMethod, confirm: true, automatic_payment_methods: NO_REDIRECTS, ...extra });

  it.each(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required', 'pm_card_authenticationRequiredOnSetup'])('%s needs authentication; approved, it succeeds', async (card) => {
    const intent = await create(card);
    expect(intent).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' }, latest_charge: null });
    const page = await fetch(intent.next_action!.use_stripe_sdk!['stripe_js'] as string);
    expect(await page.text()).toContain('Complete authentication');
    const answer = await submit(intent.next_action!.use_stripe_sdk!['stripe_js'] as string, { action: 'approve' });
    expect(await answer.json()).toMatchObject({ id: intent.id, status: 'succeeded' });
    const charge = await stripe.charges.retrieve((await stripe.paymentIntents.retrieve(intent.id)).latest_charge as string);
    expect(charge.payment_method_details?.card?.three_d_secure).toMatchObject({ result: 'authenticated' });
  });

  it('a failed authentication is requires_payment_method with payment_intent_authentication_failure', async () => {
    const intent = await create('pm_card_authenticationRequired', { return_url: 'https://shop.example/done' });
    expect(intent.next_action).toMatchObject({ type: 'redirect_to_url', redirect_to_url: { return_url: 'https://shop.example/done' } });
    const answer = await submit(intent.next_action!.redirect_to_url!.url!, { action: 'fail' });
    expect(answer.headers.get('location')).toContain('redirect_status=failed');
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } });
  });

  it('off-session, a card that always authenticates is declined with authentication_required', async () => {
    const error = await cardError(create('pm_card_authenticationRequired', { off_session: true }));
    expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' });
  });

  it('holds a manual-capture payment, captures part of it, and cancels another', async () => {
    const held = await create('pm_card_visa', { capture_method: 'manual' });
    expect(held).toMatchObject({ status: 'requires_capture', amount_capturable: 5_000, amount_received: 0 });
    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 3_000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3_000, amount_capturable: 0 });
    expect(await stripe.charges.retrieve(captured.latest_charge as string)).toMatchObject({ captured: true, amount_captured: 3_000, amount_refunded: 2_000 });

    const authenticatedHold = await create('pm_card_threeDSecure2Required', { capture_method: 'manual' });
    await submit(authenticatedHold.next_action!.use_stripe_sdk!['stripe_js'] as string, { action: 'approve' });
    expect((await stripe.paymentIntents.retrieve(authenticatedHold.id)).status).toBe('requires_capture');
    const canceled = await stripe.paymentIntents.cancel(authenticatedHold.id);
    expect(canceled.status).toBe('canceled');
    expect(await stripe.charges.retrieve(canceled.latest_charge as string)).toMatchObject({ captured: false, refunded: true });
    const twice = await cardError(stripe.paymentIntents.capture(held.id));
    expect(twice).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('a processing payment succeeds once its time has passed on the emulator clock', async () => {
    const intent = await create('pm_emulator_cardProcessing');
    expect(intent.status).toBe('processing');
    now += 6_000;
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    expect(emulator.events.list().filter((event) => (event.data.object as { id: string }).id === intent.id).map((event) => event.type)).toEqual([
      'payment_intent.created',
      'payment_intent.processing',
      'payment_intent.succeeded',
    ]);
  });
});

describe("Stripe's test cards", () => {
  it.each([
    ['pm_card_mastercard', 'mastercard'],
    ['pm_card_amex', 'amex'],
    ['pm_card_discover', 'discover'],
    ['pm_card_jcb', 'jcb'],
    ['pm_card_unionpay', 'unionpay'],
  ])('%s succeeds as a %s card', async (card, brand) => {
    const intent = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: card, confirm: true, automatic_payment_methods: NO_REDIRECTS, expand: ['payment_method'] });
    expect(intent.status).toBe('succeeded');
    expect((intent.payment_method as Stripe.PaymentMethod).card?.brand).toBe(brand);
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
    ['pm_card_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
    ['pm_card_chargeDeclinedFraudulentCard', 'card_declined', 'fraudulent'],
    ['pm_card_radarBlock', 'card_declined', 'fraudulent'],
  ])('%s is declined with %s / %s', async (card, code, declineCode) => {
    const error = (await cardError(stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: card, confirm: true, automatic_payment_methods: NO_REDIRECTS }))) as Stripe.errors.StripeCardError;
    expect(error).toMatchObject({ type: 'StripeCardError', statusCode: 402, code, decline_code: declineCode });
    const charge = await stripe.charges.retrieve((error.raw as { charge?: string }).charge ?? '');
    expect(charge.outcome?.type).toBe(card === 'pm_card_radarBlock' ? 'blocked' : 'issuer_declined');
  });
});

describe('Checkout Sessions', () => {
  it('completes a payment session on its test page: a PaymentIntent, then checkout.session.completed, then the success_url', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: SEED_PRICE_IDS.workshop, quantity: 2 }],
      customer: seedCustomers[5]!.id,
      success_url: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example/cart',
    });
    expect(session).toMatchObject({ status: 'open', payment_status: 'unpaid', amount_total: 99_800, payment_intent: null, url: expect.stringContaining('/_emulator/checkout/cs_test_') });
    expect(await (await fetch(session.url!)).text()).toContain('pm_card_visa');
    const declined = await submit(session.url!, { action: 'pay', payment_method: 'pm_card_chargeDeclined' });
    expect(declined.status).toBe(402);
    const paid = await submit(session.url!, { action: 'pay', payment_method: 'pm_card_visa' });
    expect(paid.headers.get('location')).toBe(`https://shop.example/thanks?session=${session.id}`);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', payment_intent: { status: 'succeeded', amount: 99_800 } });
    expect(emulator.events.list().find((event) => event.type === 'checkout.session.completed')?.data.object).toMatchObject({ id: session.id });
  });

  it('completes setup and subscription sessions, creating the SetupIntent and the active Subscription', async () => {
    const customer = await newCustomer('checkout@example.com');
    const setup = await stripe.checkout.sessions.create({ mode: 'setup', currency: 'usd', customer: customer.id, success_url: 'https://shop.example/ok' });
    await submit(setup.url!, { action: 'pay', payment_method: 'pm_card_authenticationRequiredOnSetup' });
    const setUp = await stripe.checkout.sessions.retrieve(setup.id, { expand: ['setup_intent'] });
    expect(setUp).toMatchObject({ status: 'complete', setup_intent: { status: 'succeeded' } });

    const subscribe = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: SEED_PRICE_IDS.proMonthly, quantity: 1 }], customer_email: 'new-subscriber@example.com', success_url: 'https://shop.example/ok' });
    await submit(subscribe.url!, { action: 'pay', payment_method: 'pm_card_visa' });
    const subscribed = await stripe.checkout.sessions.retrieve(subscribe.id, { expand: ['subscription'] });
    expect(subscribed).toMatchObject({ status: 'complete', payment_status: 'paid', subscription: { status: 'active' }, customer: expect.stringMatching(/^cus_/) });
    const cancel = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: SEED_PRICE_IDS.proMonthly, quantity: 1 }], cancel_url: 'https://shop.example/back' });
    expect((await submit(cancel.url!, { action: 'cancel' })).headers.get('location')).toBe('https://shop.example/back');
  });
});

describe('webhook delivery under chaos (EMULATOR_STRIPE_WEBHOOK_CHAOS)', () => {
  let receiver: Server;
  const received: Array<{ id: string; type: string; created: number }> = [];
  let failuresLeft = 0;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(500).end();
          return;
        }
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Stripe.Event;
        received.push({ id: event.id, type: event.type, created: event.created });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers some events twice and out of order, and retries failures on the compressed schedule', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    const chaotic = await startStripeEmulator({ seed: false, webhook: { url, secret: 'whsec_chaos' }, webhookChaos: { seed: 3, duplicateRate: 0.5, reorderWindowMs: 40, msPerHour: 20 } });
    try {
      const client = stripeClientFor(chaotic);
      failuresLeft = 2;
      for (let n = 0; n < 12; n++) await client.customers.create({ email: `chaos${n}@example.com` });
      const emitted = chaotic.events.list().map((event) => event.id);
      const deadline = Date.now() + 5_000;
      while (new Set(received.map((event) => event.id)).size < emitted.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(new Set(received.map((event) => event.id))).toEqual(new Set(emitted));
      expect(received.length).toBeGreaterThan(emitted.length); // duplicates, same event id
      const order = received.map((event) => emitted.indexOf(event.id));
      expect(order).not.toEqual([...order].sort((a, b) => a - b)); // not in the order they happened
    } finally {
      await chaotic.close();
    }
  });
});
