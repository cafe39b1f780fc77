import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { emulatorRequests, emulatorUrl, resetEmulatorRequests, startTestApp, totalRequests } from '../support/app.ts';
import { adminHeaders } from '../support/tokens.ts';

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

/** These tests are about payments, not access: they call as an operator who may do anything. */
const query = async <Data = Record<string, unknown>>(text: string, variables?: Record<string, unknown>) =>
  postGraphQL<Data>(app.gateway.url, text, variables, await adminHeaders());
const customerId = seedCustomers[3]!.id;

describe('reading customers and their payments', () => {
  const LATEST = /* GraphQL */ `
    {
      customers(first: 20) {
        nodes { id email paymentIntents(first: 1) { nodes { id status amount { amount currency formatted } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  `;

  it('costs one list call plus one per customer, then nothing within the TTL', async () => {
    const first = await query<{ customers: { nodes: { id: string }[] } }>(LATEST);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.customers.nodes).toHaveLength(20);
    const calls = await emulatorRequests(app, 'stripe');
    // 1 customers.list + 20 paymentIntents.list (Stripe has no multi-customer filter).
    expect(calls).toEqual({ 'GET /v1/customers': 1, 'GET /v1/payment_intents': 20 });

    await resetEmulatorRequests(app, 'stripe');
    const repeat = await query(LATEST);
    expect(repeat.body).toEqual(first.body);
    expect(totalRequests(await emulatorRequests(app, 'stripe'))).toBe(0);
  });

  it('pages through every customer with cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof query<{ customers: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>> =
        await query(`query ($after: String) { customers(first: 7, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...page.body.data!.customers.nodes.map((n) => n.id));
      after = page.body.data!.customers.pageInfo.hasNextPage ? page.body.data!.customers.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(seedCustomers.map((c) => c.id)));
  });

  it('shows linked identities and money formatted for display', async () => {
    const linked = seedCustomers.find((c) => c.githubLogin && c.twitterUsername)!;
    const response = await query(`{ customer(id: "${linked.id}") { id name email githubLogin twitterUsername storagePrefix balance { formatted } } }`);
    expect(response.body.data).toEqual({
      customer: {
        id: linked.id,
        name: linked.name,
        email: linked.email,
        githubLogin: linked.githubLogin,
        twitterUsername: linked.twitterUsername,
        storagePrefix: `customers/${linked.id}/`,
        balance: { formatted: expect.stringMatching(/^-?\$\d/) },
      },
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await query('{ customer(id: "cus_doesnotexist00") { id } paymentIntent(id: "pi_doesnotexist00") { id } }');
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });

  it('lists products with their prices', async () => {
    const response = await query<{ products: { nodes: { name: string; prices: { unitAmount: { formatted: string } | null }[] }[] } }>(
      '{ products(first: 10) { nodes { id name prices { id unitAmount { formatted } recurring { interval intervalCount } } } } }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.products.nodes.length).toBeGreaterThan(0);
    expect(response.body.data!.products.nodes.every((p) => p.prices.length > 0)).toBe(true);
  });
});

describe('moving money', () => {
  const CREATE = /* GraphQL */ `
    mutation ($input: CreatePaymentIntentInput!) {
      createPaymentIntent(input: $input) { clientSecret paymentIntent { id status amount { amount } customer { id } } }
    }
  `;
  type Created = { createPaymentIntent: { clientSecret: string; paymentIntent: { id: string; status: string } } };
  const create = (idempotencyKey: string, amount = 2500) => query<Created>(CREATE, { input: { customerId, amount, currency: 'usd', idempotencyKey } });
  const confirm = (id: string, paymentMethod: string) =>
    query<{ confirmPaymentIntent: { status: string } }>(
      `mutation ($input: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $input) { id status lastPaymentError { code declineCode } } }`,
      { input: { id, paymentMethod, idempotencyKey: randomUUID() } },
    );

  it('says which payment method it could not find, in Stripe\'s words for the id the caller sent', async () => {
    const created = await create(randomUUID());
    const refused = await confirm(created.body.data!.createPaymentIntent.paymentIntent.id, 'pm_nosuchcard00');
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
    expect(refused.body.errors?.[0]?.message).toMatch(/^No such \w+: 'pm_nosuchcard00'$/);
  });

  it('creates a payment intent once per idempotency key, and returns the first result to a retry', async () => {
    const key = randomUUID();
    const first = await create(key);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.createPaymentIntent.clientSecret).toMatch(/^pi_.+_secret_/);
    const retry = await create(key);
    expect(retry.body.data!.createPaymentIntent.paymentIntent.id).toBe(first.body.data!.createPaymentIntent.paymentIntent.id);
    const conflict = await create(key, 9999);
    expect(errorCodes(conflict)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  it('never charges twice when the provider fails after committing: the SDK retries with the same key', async () => {
    const stripeUrl = emulatorUrl(app, 'stripe');
    await fetch(`${stripeUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failAfterCommit: { operation: 'POST /v1/payment_intents', times: 1 } }),
    });
    const description = `fail-after-commit ${randomUUID()}`;
    const response = await query<Created>(
      `mutation ($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id } } }`,
      { input: { customerId, amount: 4242, currency: 'usd', description, idempotencyKey: randomUUID() } },
    );
    await fetch(`${stripeUrl}/_emulator/faults`, { method: 'DELETE' });
    expect(response.body.errors).toBeUndefined();
    expect((await emulatorRequests(app, 'stripe'))['POST /v1/payment_intents']).toBe(2);

    const listed = await query<{ customer: { paymentIntents: { nodes: { id: string; description: string | null }[] } } }>(
      `{ customer(id: "${customerId}") { paymentIntents(first: 100) { nodes { id description } } } }`,
    );
    const matching = listed.body.data!.customer.paymentIntents.nodes.filter((p) => p.description === description);
    expect(matching.map((p) => p.id)).toEqual([response.body.data!.createPaymentIntent.paymentIntent.id]);
  });

  it('confirms with a card that succeeds, and reports a declined card with its decline code', async () => {
    const ok = await create(randomUUID());
    const succeeded = await confirm(ok.body.data!.createPaymentIntent.paymentIntent.id, 'pm_card_visa');
    expect(succeeded.body.data).toMatchObject({ confirmPaymentIntent: { status: 'SUCCEEDED' } });

    const declinedIntent = await create(randomUUID());
    const id = declinedIntent.body.data!.createPaymentIntent.paymentIntent.id;
    const declined = await confirm(id, 'pm_card_chargeDeclined');
    expect(errorCodes(declined)).toEqual(['CARD_DECLINED']);
    expect(declined.body.errors![0]!.extensions).toMatchObject({ declineCode: 'generic_decline', providerRequestId: expect.stringMatching(/^req_/) });
    const after = await query(`{ paymentIntent(id: "${id}") { status lastPaymentError { code declineCode } } }`);
    expect(after.body.data).toEqual({ paymentIntent: { status: 'REQUIRES_PAYMENT_METHOD', lastPaymentError: { code: 'card_declined', declineCode: 'generic_decline' } } });
  });

  it('refunds part of a payment, then the rest', async () => {
    const intent = await create(randomUUID(), 3000);
    const id = intent.body.data!.createPaymentIntent.paymentIntent.id;
    await confirm(id, 'pm_card_visa');
    const refund = (amount: number | null) =>
      query<{ refundPaymentIntent: { amount: { amount: number }; status: string } }>(
        `mutation ($input: RefundPaymentIntentInput!) { refundPaymentIntent(input: $input) { id amount { amount } status } }`,
        { input: { paymentIntentId: id, amount, idempotencyKey: randomUUID() } },
      );
    expect((await refund(1000)).body.data!.refundPaymentIntent.amount.amount).toBe(1000);
    expect((await refund(null)).body.data!.refundPaymentIntent.amount.amount).toBe(2000);
    const refunds = await query(`{ paymentIntent(id: "${id}") { refunds { amount { amount } } } }`);
    expect(refunds.body.data).toEqual({ paymentIntent: { refunds: expect.arrayContaining([{ amount: { amount: 1000 } }, { amount: { amount: 2000 } }]) } });
  });

  it('refuses a too-short idempotency key before calling Stripe', async () => {
    const response = await create('short');
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect((await emulatorRequests(app, 'stripe'))['POST /v1/payment_intents']).toBeUndefined();
  });
});

describe('billing subscriptions', () => {
  it('subscribes a customer without a payment method: incomplete, its invoice open; then cancels', async () => {
    const catalogue = await query<{ products: { nodes: { prices: { id: string; recurring: unknown }[] }[] } }>(
      '{ products(first: 20) { nodes { prices { id recurring { interval } } } } }',
    );
    const price = catalogue.body.data!.products.nodes.flatMap((p) => p.prices).find((p) => p.recurring)!;
    const subscriber = seedCustomers[7]!.id;
    const created = await query<{ createBillingSubscription: { id: string; status: string; latestInvoice: { status: string } | null } }>(
      `mutation ($input: CreateBillingSubscriptionInput!) {
        createBillingSubscription(input: $input) { id status items { price { id } } latestInvoice { status amountPaid { amount } } customer { id } }
      }`,
      { input: { customerId: subscriber, priceId: price.id, idempotencyKey: randomUUID() } },
    );
    expect(created.body.errors).toBeUndefined();
    // Without a saved payment method, Stripe leaves the subscription incomplete until its first invoice is paid.
    expect(created.body.data!.createBillingSubscription).toMatchObject({ status: 'INCOMPLETE', latestInvoice: { status: 'open' } });
    const id = created.body.data!.createBillingSubscription.id;

    const listed = await query<{ customer: { subscriptions: { nodes: { id: string }[] } } }>(`{ customer(id: "${subscriber}") { subscriptions(first: 50) { nodes { id status } } } }`);
    expect(listed.body.data!.customer.subscriptions.nodes.map((s) => s.id)).toContain(id);

    const canceled = await query(`mutation ($input: CancelBillingSubscriptionInput!) { cancelBillingSubscription(input: $input) { id status canceledAt } }`, {
      input: { id, idempotencyKey: randomUUID() },
    });
    expect(canceled.body.data).toMatchObject({ cancelBillingSubscription: { id, status: 'CANCELED', canceledAt: expect.any(String) } });
  });
});

describe('secrets', () => {
  it('never shows the secret key in any response', async () => {
    const response = await query('{ customer(id: "cus_doesnotexist00") { id } }');
    expect(JSON.stringify(response.body)).not.toContain('sk_test_');
  });
});
