import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { SEED_PRICE_IDS } from '../../emulators/stripe/fixtures/seed.ts';
import { DEFAULT_STRIPE_EMULATOR_API_KEY } from '../../emulators/stripe/server.ts';
import { errorCodes, postGraphQL, type GraphQLResponse } from '../support/graphql-client.ts';
import { emulatorRequests, emulatorUrl, resetEmulatorRequests, startTestApp, totalRequests } from '../support/app.ts';
import { adminHeaders, authorization } from '../support/tokens.ts';

/**
 * What a frontend does to take a real payment, through the whole stack over HTTP: the gateway, the
 * payments subgraph, the Stripe emulator (the real SDK talking to it) and its signed webhooks back to the
 * gateway, which keep the subgraph's cache fresh.
 */
let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await resetEmulatorRequests(app, 'stripe');
});

type Headers = Record<string, string>;
const customerA = seedCustomers[10]!.id;
const customerB = seedCustomers[11]!.id;
const shopper = (customer: string, scope = 'payments:read payments:write') => authorization({ sub: `user-${customer}`, scope, customer });
const call = <Data = Record<string, unknown>>(headers: Headers, text: string, variables?: Record<string, unknown>) =>
  postGraphQL<Data>(app.gateway.url, text, variables, headers);
const key = () => randomUUID();

/** Polls the gateway until `done` holds: webhooks arrive asynchronously. Bounded well under every cache TTL. */
async function until<Data>(ask: () => Promise<GraphQLResponse<Data>>, done: (data: Data) => boolean, what: string): Promise<Data> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const response = await ask();
    if (response.body.data && done(response.body.data)) return response.body.data;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The customer's side of one of the emulator's hosted test pages: POSTs the form, never follows redirects. */
const submit = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

const ATTACH = /* GraphQL */ `
  mutation ($input: AttachPaymentMethodInput!) { attachPaymentMethod(input: $input) { id type isDefault card { brand last4 expMonth expYear } } }
`;
type Card = { id: string; isDefault: boolean; card: { brand: string; last4: string } };
const WALLET = /* GraphQL */ `query ($id: ID!) { customer(id: $id) { paymentMethods { id isDefault card { brand last4 } } } }`;
type Wallet = { customer: { paymentMethods: Card[] } };

describe('the first payment of an incomplete subscription', () => {
  it('is confirmed with its client secret through 3-D Secure, and the subscription becomes ACTIVE', async () => {
    const a = await shopper(customerA);
    const created = await call<{
      createBillingSubscription: { id: string; status: string; latestInvoice: { status: string; paymentIntent: { id: string; status: string; clientSecret: string; amount: { amount: number } } } };
    }>(
      a,
      `mutation ($input: CreateBillingSubscriptionInput!) {
        createBillingSubscription(input: $input) {
          id status latestInvoice { status amountDue { amount } paymentIntent { id status clientSecret amount { amount } } }
        }
      }`,
      { input: { customerId: customerA, priceId: SEED_PRICE_IDS.proMonthly, paymentBehavior: 'DEFAULT_INCOMPLETE', idempotencyKey: key() } },
    );
    expect(created.body.errors).toBeUndefined();
    const subscription = created.body.data!.createBillingSubscription;
    expect(subscription).toMatchObject({ status: 'INCOMPLETE', latestInvoice: { status: 'open', paymentIntent: { status: 'REQUIRES_PAYMENT_METHOD' } } });
    const { id: paymentIntentId, clientSecret } = subscription.latestInvoice.paymentIntent;
    expect(clientSecret).toMatch(new RegExp(`^${paymentIntentId}_secret_`));

    // What Stripe.js does with the secret: confirm with the card, then the issuer's 3-D Secure challenge.
    const confirmed = await call<{ confirmPaymentIntent: { status: string; nextAction: { type: string; redirectUrl: string } } }>(
      a,
      `mutation ($input: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $input) { status nextAction { type redirectUrl } } }`,
      { input: { id: paymentIntentId, paymentMethod: 'pm_card_authenticationRequired', returnUrl: 'https://shop.example/paid', idempotencyKey: key() } },
    );
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data!.confirmPaymentIntent).toMatchObject({ status: 'REQUIRES_ACTION', nextAction: { type: 'redirect_to_url', redirectUrl: expect.stringContaining('/_emulator/authenticate/') } });
    // The page only answers to the intent's own client secret: the one the gateway gave the frontend.
    const challenge = `${emulatorUrl(app, 'stripe')}/_emulator/authenticate/${paymentIntentId}?client_secret=${encodeURIComponent(clientSecret)}`;
    const answered = await submit(challenge, { action: 'approve' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toContain('redirect_status=succeeded');

    // Nothing was asked of the gateway in between: the webhooks evicted the cached subscription and intent.
    const after = await until(
      () => call<{ customer: { subscriptions: { nodes: { id: string; status: string }[] } }; paymentIntent: { status: string } }>(
        a,
        `query ($id: ID!, $pi: ID!) { customer(id: $id) { subscriptions(first: 20) { nodes { id status } } } paymentIntent(id: $pi) { status nextAction { type } } }`,
        { id: customerA, pi: paymentIntentId },
      ),
      (data) => data.customer.subscriptions.nodes.find((node) => node.id === subscription.id)?.status === 'ACTIVE',
      'the subscription to become ACTIVE',
    );
    expect(after.paymentIntent).toEqual({ status: 'SUCCEEDED', nextAction: null });
  });

  it('ERROR_IF_INCOMPLETE with a card that declines is CARD_DECLINED with its declineCode, and creates nothing', async () => {
    const b = await shopper(customerB);
    const attached = await call<{ attachPaymentMethod: Card }>(b, ATTACH, { input: { customerId: customerB, paymentMethodId: 'pm_card_chargeCustomerFail', setAsDefault: true, idempotencyKey: key() } });
    expect(attached.body.data!.attachPaymentMethod).toMatchObject({ isDefault: true, card: { last4: '0341' } });
    const refused = await call(b, `mutation ($input: CreateBillingSubscriptionInput!) { createBillingSubscription(input: $input) { id } }`, {
      input: { customerId: customerB, priceId: SEED_PRICE_IDS.starterMonthly, paymentBehavior: 'ERROR_IF_INCOMPLETE', idempotencyKey: key() },
    });
    expect(errorCodes(refused)).toEqual(['CARD_DECLINED']);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ declineCode: 'generic_decline', providerRequestId: expect.stringMatching(/^req_/) });
    const admin = await adminHeaders();
    const subscriptions = await call<{ customer: { subscriptions: { nodes: { status: string }[] } } }>(admin, `query ($id: ID!) { customer(id: $id) { subscriptions(first: 100) { nodes { status } } } }`, { id: customerB });
    expect(subscriptions.body.data!.customer.subscriptions.nodes.filter((node) => node.status.startsWith('INCOMPLETE'))).toEqual([]);
  });
});

describe('saved cards', () => {
  it('attaches, lists, makes default and detaches, each change visible at once though the list is cached', async () => {
    const customer = seedCustomers[12]!.id;
    const headers = await shopper(customer);
    const visa = await call<{ attachPaymentMethod: Card }>(headers, ATTACH, { input: { customerId: customer, paymentMethodId: 'pm_card_visa', setAsDefault: true, idempotencyKey: key() } });
    expect(visa.body.errors).toBeUndefined();
    expect(visa.body.data!.attachPaymentMethod).toMatchObject({ id: expect.stringMatching(/^pm_/), type: 'card', isDefault: true, card: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 } });
    const mastercard = await call<{ attachPaymentMethod: Card }>(headers, ATTACH, { input: { customerId: customer, paymentMethodId: 'pm_card_mastercard', idempotencyKey: key() } });
    expect(mastercard.body.data!.attachPaymentMethod).toMatchObject({ isDefault: false, card: { brand: 'mastercard', last4: '4444' } });
    const visaId = visa.body.data!.attachPaymentMethod.id;
    const mastercardId = mastercard.body.data!.attachPaymentMethod.id;

    const listed = await call<Wallet>(headers, WALLET, { id: customer });
    expect(listed.body.data!.customer.paymentMethods.map(({ id, isDefault }) => ({ id, isDefault }))).toEqual([
      { id: mastercardId, isDefault: false },
      { id: visaId, isDefault: true },
    ]);
    await resetEmulatorRequests(app, 'stripe');
    expect((await call<Wallet>(headers, WALLET, { id: customer })).body).toEqual(listed.body);
    expect(totalRequests(await emulatorRequests(app, 'stripe'))).toBe(0);

    const made = await call<{ setDefaultPaymentMethod: { paymentMethods: Card[] } }>(
      headers,
      `mutation ($input: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $input) { id paymentMethods { id isDefault } } }`,
      { input: { customerId: customer, paymentMethodId: mastercardId } },
    );
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data!.setDefaultPaymentMethod.paymentMethods.filter((m) => m.isDefault).map((m) => m.id)).toEqual([mastercardId]);

    const detached = await call(headers, `mutation ($id: ID!) { detachPaymentMethod(id: $id) { id isDefault } }`, { id: mastercardId });
    expect(detached.body).toEqual({ data: { detachPaymentMethod: { id: mastercardId, isDefault: false } } });
    // Detaching the default also clears it (Stripe does); the cached wallet and customer were evicted.
    expect((await call<Wallet>(headers, WALLET, { id: customer })).body.data!.customer.paymentMethods.map(({ id, isDefault }) => ({ id, isDefault }))).toEqual([
      { id: visaId, isDefault: false },
    ]);
  });

  it('a card saved or removed outside the gateway (Dashboard, another service) reaches the cached wallet through payment_method.* webhooks', async () => {
    const customer = seedCustomers[14]!.id;
    const headers = await shopper(customer);
    const url = new URL(emulatorUrl(app, 'stripe'));
    const stripe = new Stripe(DEFAULT_STRIPE_EMULATOR_API_KEY, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
    const lastDigits = (data: Wallet) => data.customer.paymentMethods.map((m) => m.card.last4);
    expect(lastDigits((await call<Wallet>(headers, WALLET, { id: customer })).body.data!)).not.toContain('1117');

    const discover = await stripe.paymentMethods.attach('pm_card_discover', { customer });
    await until(() => call<Wallet>(headers, WALLET, { id: customer }), (data) => lastDigits(data).includes('1117'), 'payment_method.attached to evict the wallet');
    await stripe.paymentMethods.detach(discover.id); // the event names the customer only in previous_attributes
    await until(() => call<Wallet>(headers, WALLET, { id: customer }), (data) => !lastDigits(data).includes('1117'), 'payment_method.detached to evict the wallet');
  });

  it('refuses a card its issuer declines with CARD_DECLINED and the declineCode', async () => {
    const headers = await shopper(customerB);
    const declined = await call(headers, ATTACH, { input: { customerId: customerB, paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds', idempotencyKey: key() } });
    expect(errorCodes(declined)).toEqual(['CARD_DECLINED']);
    expect(declined.body.errors![0]!.extensions).toMatchObject({ declineCode: 'insufficient_funds' });
    expect(declined.body.data).toEqual({ attachPaymentMethod: null });
  });

  it('a SetupIntent with a card that asks for 3-D Secure gives nextAction; approved, the card is saved and listed', async () => {
    const customer = seedCustomers[13]!.id;
    const headers = await shopper(customer);
    const before = await call<Wallet>(headers, WALLET, { id: customer });
    const SETUP = `mutation ($input: CreateSetupIntentInput!) { createSetupIntent(input: $input) { id status clientSecret nextAction { type redirectUrl } paymentMethodId lastSetupError { code } } }`;
    type Setup = { createSetupIntent: { id: string; status: string; clientSecret: string; nextAction: { type: string; redirectUrl: string | null } | null } };

    const plain = await call<Setup>(headers, SETUP, { input: { customerId: customer, paymentMethodId: 'pm_card_visa', idempotencyKey: key() } });
    expect(plain.body.data!.createSetupIntent).toMatchObject({ status: 'SUCCEEDED', nextAction: null, paymentMethodId: expect.stringMatching(/^pm_/) });

    const sca = await call<Setup>(headers, SETUP, {
      input: { customerId: customer, paymentMethodId: 'pm_card_authenticationRequiredOnSetup', returnUrl: 'https://shop.example/saved', idempotencyKey: key() },
    });
    expect(sca.body.errors).toBeUndefined();
    const waiting = sca.body.data!.createSetupIntent;
    expect(waiting).toMatchObject({ status: 'REQUIRES_ACTION', clientSecret: expect.stringMatching(/^seti_.+_secret_/), nextAction: { type: 'redirect_to_url', redirectUrl: expect.stringContaining(waiting.id) } });
    // Without a return URL, Stripe.js handles the challenge: the type says so, there is no URL to send the browser to.
    const sdk = await call<Setup>(headers, SETUP, { input: { customerId: customer, paymentMethodId: 'pm_card_authenticationRequired', idempotencyKey: key() } });
    expect(sdk.body.data!.createSetupIntent).toMatchObject({ status: 'REQUIRES_ACTION', nextAction: { type: 'use_stripe_sdk', redirectUrl: null } });

    const cached = await call<Wallet>(headers, WALLET, { id: customer });
    // Saved only once authenticated: the list read (and cached) now lacks it.
    expect(cached.body.data!.customer.paymentMethods.map((m) => m.card.last4)).not.toContain('3155');
    expect((await submit(waiting.nextAction!.redirectUrl!, { action: 'approve' })).headers.get('location')).toContain('redirect_status=succeeded');
    const saved = await until(
      () => call<Wallet>(headers, WALLET, { id: customer }),
      (data) => data.customer.paymentMethods.some((m) => m.card.last4 === '3155'),
      'the card saved through 3-D Secure to be listed',
    );
    expect(saved.customer.paymentMethods.length).toBeGreaterThan(cached.body.data!.customer.paymentMethods.length);
    expect(saved.customer.paymentMethods.length).toBeGreaterThan(before.body.data!.customer.paymentMethods.length);
  });
});

describe('Checkout Sessions', () => {
  const CREATE = `mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { id url status mode paymentStatus amountTotal { amount currency } } }`;
  type Created = { createCheckoutSession: { id: string; url: string; status: string; mode: string } };
  const SESSION = `query ($id: ID!) { checkoutSession(id: $id) { id status paymentStatus url } }`;

  it('a session completed on its hosted page (the emulator test page) reads COMPLETE through the gateway', async () => {
    const a = await shopper(customerA);
    const created = await call<Created>(a, CREATE, {
      input: { mode: 'PAYMENT', customerId: customerA, priceId: SEED_PRICE_IDS.workshop, quantity: 2, successUrl: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}', cancelUrl: 'https://shop.example/cart', idempotencyKey: key() },
    });
    expect(created.body.errors).toBeUndefined();
    const session = created.body.data!.createCheckoutSession;
    expect(session).toMatchObject({ status: 'OPEN', mode: 'PAYMENT', paymentStatus: 'unpaid', amountTotal: { amount: 99_800, currency: 'usd' }, url: expect.stringContaining(`/_emulator/checkout/${session.id}`) });
    // Read (and cached) while open.
    expect((await call(a, SESSION, { id: session.id })).body.data).toMatchObject({ checkoutSession: { status: 'OPEN' } });

    const paid = await submit(session.url, { action: 'pay', payment_method: 'pm_card_visa' });
    expect(paid.headers.get('location')).toBe(`https://shop.example/thanks?session=${session.id}`);
    // checkout.session.completed evicts the cached session, long before its TTL.
    const completed = await until(() => call<{ checkoutSession: { status: string } }>(a, SESSION, { id: session.id }), (data) => data.checkoutSession.status === 'COMPLETE', 'the session to be COMPLETE');
    expect(completed).toEqual({ checkoutSession: { id: session.id, status: 'COMPLETE', paymentStatus: 'paid', url: null } });

    // Someone else's session is refused like an unknown one.
    const b = await shopper(customerB);
    for (const id of [session.id, 'cs_test_doesNotExist0']) {
      const refused = await call(b, SESSION, { id });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    }
  });

  it('makes SUBSCRIPTION and SETUP sessions; a PAYMENT session needs a price', async () => {
    const a = await shopper(customerA);
    const subscription = await call<Created>(a, CREATE, { input: { mode: 'SUBSCRIPTION', customerId: customerA, priceId: SEED_PRICE_IDS.proMonthly, successUrl: 'https://shop.example/ok', idempotencyKey: key() } });
    expect(subscription.body.data!.createCheckoutSession).toMatchObject({ status: 'OPEN', mode: 'SUBSCRIPTION' });
    const setup = await call<Created>(a, CREATE, { input: { mode: 'SETUP', customerId: customerA, currency: 'usd', successUrl: 'https://shop.example/ok', idempotencyKey: key() } });
    expect(setup.body.data!.createCheckoutSession).toMatchObject({ status: 'OPEN', mode: 'SETUP', paymentStatus: 'no_payment_required', amountTotal: null });
    await resetEmulatorRequests(app, 'stripe');
    const noPrice = await call(a, CREATE, { input: { mode: 'PAYMENT', customerId: customerA, successUrl: 'https://shop.example/ok', idempotencyKey: key() } });
    expect(errorCodes(noPrice)).toEqual(['BAD_USER_INPUT']);
    expect(totalRequests(await emulatorRequests(app, 'stripe'))).toBe(0);
  });
});

describe('one customer and another', () => {
  it('only the owner (or an admin) reads a client secret, even when the intent is already cached', async () => {
    const a = await shopper(customerA);
    const created = await call<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
      a,
      `mutation ($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id } } }`,
      { input: { customerId: customerA, amount: 1_500, currency: 'usd', idempotencyKey: key() } },
    );
    const id = created.body.data!.createPaymentIntent.paymentIntent.id;
    const READ = `query ($id: ID!) { paymentIntent(id: $id) { id status clientSecret } }`;
    const own = await call<{ paymentIntent: { clientSecret: string } }>(a, READ, { id });
    expect(own.body.data!.paymentIntent.clientSecret).toMatch(/_secret_/);

    await resetEmulatorRequests(app, 'stripe');
    const other = await call(await shopper(customerB), READ, { id });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.body.data).toEqual({ paymentIntent: null });
    expect(JSON.stringify(other.body)).not.toContain('_secret_');
    // The intent came from the shared cache (no Stripe call), and still only to its owner.
    expect(totalRequests(await emulatorRequests(app, 'stripe'))).toBe(0);

    // Reading is not enough: the secret confirms payments, so it needs payments:write.
    const readOnly = await call(await shopper(customerA, 'payments:read'), READ, { id });
    expect(readOnly.body.data).toEqual({ paymentIntent: { id, status: 'REQUIRES_PAYMENT_METHOD', clientSecret: null } });
    expect(errorCodes(readOnly)).toEqual(['FORBIDDEN']);

    const admin = await call<{ paymentIntent: { clientSecret: string } }>(await adminHeaders(), READ, { id });
    expect(admin.body.data!.paymentIntent.clientSecret).toBe(own.body.data!.paymentIntent.clientSecret);
  });

  it('refuses to attach to, detach from, or make default with someone else’s customer or card', async () => {
    const a = await shopper(customerA);
    const b = await shopper(customerB);
    const cardOfA = await call<{ attachPaymentMethod: Card }>(a, ATTACH, { input: { customerId: customerA, paymentMethodId: 'pm_card_amex', idempotencyKey: key() } });
    const pmOfA = cardOfA.body.data!.attachPaymentMethod.id;

    await resetEmulatorRequests(app, 'stripe');
    const toA = await call(b, ATTACH, { input: { customerId: customerA, paymentMethodId: 'pm_card_visa', idempotencyKey: key() } });
    expect(errorCodes(toA)).toEqual(['FORBIDDEN']);
    expect(totalRequests(await emulatorRequests(app, 'stripe'))).toBe(0); // refused at the gateway

    const stealing = await call(b, ATTACH, { input: { customerId: customerB, paymentMethodId: pmOfA, idempotencyKey: key() } });
    expect(errorCodes(stealing)).toEqual(['FORBIDDEN']);
    const detaching = await call(b, `mutation ($id: ID!) { detachPaymentMethod(id: $id) { id } }`, { id: pmOfA });
    expect(errorCodes(detaching)).toEqual(['FORBIDDEN']);
    const defaulting = await call(b, `mutation ($input: SetDefaultPaymentMethodInput!) { setDefaultPaymentMethod(input: $input) { id } }`, { input: { customerId: customerB, paymentMethodId: pmOfA } });
    expect(errorCodes(defaulting)).toEqual(['BAD_USER_INPUT']);
    const setupForA = await call(b, `mutation ($input: CreateSetupIntentInput!) { createSetupIntent(input: $input) { id } }`, { input: { customerId: customerA, idempotencyKey: key() } });
    const sessionForA = await call(b, `mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { id } }`, {
      input: { mode: 'SETUP', customerId: customerA, successUrl: 'https://shop.example/ok', idempotencyKey: key() },
    });
    expect([...errorCodes(setupForA), ...errorCodes(sessionForA)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    expect((await call<Wallet>(a, WALLET, { id: customerA })).body.data!.customer.paymentMethods.map((m) => m.id)).toContain(pmOfA);
  });
});

describe('manual capture', () => {
  it('holds the amount at confirmation; an admin captures part of it once per idempotency key, a customer may not', async () => {
    const a = await shopper(customerA);
    const created = await call<{ createPaymentIntent: { paymentIntent: { id: string; captureMethod: string } } }>(
      a,
      `mutation ($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id captureMethod } } }`,
      { input: { customerId: customerA, amount: 5_000, currency: 'usd', captureMethod: 'MANUAL', idempotencyKey: key() } },
    );
    const { id, captureMethod } = created.body.data!.createPaymentIntent.paymentIntent;
    expect(captureMethod).toBe('MANUAL');
    const held = await call(a, `mutation ($input: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $input) { status amountCapturable { amount } amountReceived { amount } } }`, {
      input: { id, paymentMethod: 'pm_card_visa', idempotencyKey: key() },
    });
    expect(held.body.data).toEqual({ confirmPaymentIntent: { status: 'REQUIRES_CAPTURE', amountCapturable: { amount: 5_000 }, amountReceived: { amount: 0 } } });

    const CAPTURE = `mutation ($input: CapturePaymentIntentInput!) { capturePaymentIntent(input: $input) { id status amountReceived { amount } amountCapturable { amount } } }`;
    const byCustomer = await call(a, CAPTURE, { input: { id, amountToCapture: 3_000, idempotencyKey: key() } });
    expect(errorCodes(byCustomer)).toEqual(['FORBIDDEN']);

    const admin = await adminHeaders();
    const captureKey = key();
    const captured = await call(admin, CAPTURE, { input: { id, amountToCapture: 3_000, idempotencyKey: captureKey } });
    expect(captured.body).toEqual({ data: { capturePaymentIntent: { id, status: 'SUCCEEDED', amountReceived: { amount: 3_000 }, amountCapturable: { amount: 0 } } } });
    // A retry after a timeout gets the first result, not a "cannot capture twice".
    const retried = await call(admin, CAPTURE, { input: { id, amountToCapture: 3_000, idempotencyKey: captureKey } });
    expect(retried.body).toEqual(captured.body);
    // The capture evicted the cached intent.
    expect((await call(a, `query ($id: ID!) { paymentIntent(id: $id) { status amountReceived { amount } } }`, { id })).body.data).toEqual({
      paymentIntent: { status: 'SUCCEEDED', amountReceived: { amount: 3_000 } },
    });
  });
});
