import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { stripeError } from '../support/stripe-error.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';

const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } as const;

describe('Stripe emulator: idempotency and faults', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let stripeWithoutRetries: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
    stripeWithoutRetries = stripeClientFor(emulator, { maxNetworkRetries: 0 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  afterEach(() => {
    emulator.faults.clear();
    emulator.requests.reset();
  });

  async function paymentIntentsWith(marker: string): Promise<Stripe.PaymentIntent[]> {
    const all = await stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 1_000 });
    return all.filter((paymentIntent) => paymentIntent.metadata['marker'] === marker);
  }

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and parameters: one object exists', async () => {
      const params = { amount: 1_234, currency: 'usd', metadata: { marker: 'replay' }, ...NO_REDIRECTS };
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'key-replay' });
      const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'key-replay' });
      expect(second.id).toBe(first.id);
      expect(second).toEqual(first);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
      expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId);
      expect(second.lastResponse.idempotencyKey).toBe('key-replay');
      expect(await paymentIntentsWith('replay')).toHaveLength(1);
      expect(emulator.events.list().filter((event) => (event.data.object as { id?: string }).id === first.id)).toHaveLength(1); // no second payment_intent.created
    });

    it('compares parameters by content, not by order', async () => {
      const first = await stripe.customers.create({ email: 'order@example.com', name: 'Order' }, { idempotencyKey: 'key-order' });
      const second = await stripe.customers.create({ name: 'Order', email: 'order@example.com' }, { idempotencyKey: 'key-order' });
      expect(second.id).toBe(first.id);
    });

    it('refuses the same key with other parameters or on another endpoint with an idempotency_error', async () => {
      await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', ...NO_REDIRECTS }, { idempotencyKey: 'key-conflict' });
      const conflict = await stripeError(stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', ...NO_REDIRECTS }, { idempotencyKey: 'key-conflict' }));
      expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(conflict.statusCode).toBe(400);
      expect(conflict.rawType).toBe('idempotency_error');
      expect(conflict.message).toMatch(/^Keys for idempotent requests can only be used with the same parameters they were first used with/);
      expect(emulator.requests.count('POST /v1/payment_intents')).toBe(2); // a 400 is not retried

      const otherEndpoint = await stripeError(stripe.customers.create({ email: 'x@example.com' }, { idempotencyKey: 'key-conflict' }));
      expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(otherEndpoint.message).toMatch(/same endpoint/);
    });

    it('replays a declined payment’s 402 too: the first attempt changed state', async () => {
      const params = { amount: 2_000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, metadata: { marker: 'declined-replay' }, ...NO_REDIRECTS };
      const first = await stripeError(stripe.paymentIntents.create(params, { idempotencyKey: 'key-declined' }));
      const second = await stripeError(stripe.paymentIntents.create(params, { idempotencyKey: 'key-declined' }));
      expect(first).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(second).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
      expect(second.headers?.['idempotent-replayed']).toBe('true');
      expect(await paymentIntentsWith('declined-replay')).toHaveLength(1);
    });

    it('does not keep refused requests: the same key works once the parameters are valid', async () => {
      const invalid = await stripeError(stripe.paymentIntents.create({ amount: 10, currency: 'usd', ...NO_REDIRECTS }, { idempotencyKey: 'key-fixed' }));
      expect(invalid.code).toBe('amount_too_small');
      const valid = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', ...NO_REDIRECTS }, { idempotencyKey: 'key-fixed' });
      expect(valid.status).toBe('requires_payment_method');
    });

    it('answers 409 while the first request with a key is still running; the SDK’s retry then gets the replay', async () => {
      emulator.faults.delay('POST /v1/customers', 400);
      const slow = stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'key-locked' });
      // Wait until the first request has arrived and taken the key (its tiny body is read within a tick).
      while (emulator.requests.count('POST /v1/customers') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 30));

      const locked = await stripeError(stripeWithoutRetries.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'key-locked' }));
      expect(locked.statusCode).toBe(409);
      expect(locked.rawType).toBe('idempotency_error');

      const retried = stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'key-locked' });
      const [original, replayed] = await Promise.all([slow, retried]);
      expect(replayed.id).toBe(original.id);
      expect((await stripe.customers.list({ email: 'slow@example.com' })).data).toHaveLength(1);
    });

    it('ignores Idempotency-Key on GET', async () => {
      const response = await fetch(`${emulator.url}/v1/customers/cus_Qm3vT8rLx2NcAe`, {
        headers: { authorization: `Bearer ${emulator.apiKey}`, 'idempotency-key': 'key-get' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('fail after commit', () => {
    it('commits, drops the connection, and the SDK’s retry with the same key gets the original: exactly one payment', async () => {
      emulator.faults.failAfterCommit('POST /v1/payment_intents', 1);
      const paymentIntent = await stripe.paymentIntents.create(
        { amount: 7_777, currency: 'usd', metadata: { marker: 'lost-response' }, ...NO_REDIRECTS },
        { idempotencyKey: 'key-lost-response' },
      );
      expect(paymentIntent.amount).toBe(7_777);
      expect(paymentIntent.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(emulator.requests.count('POST /v1/payment_intents')).toBe(2); // the lost one and the SDK's retry
      expect(await paymentIntentsWith('lost-response')).toEqual([expect.objectContaining({ id: paymentIntent.id })]);
      expect(emulator.events.list().filter((event) => event.type === 'payment_intent.created' && event.data.object.id === paymentIntent.id)).toHaveLength(1);
      expect(emulator.faults.pending().failAfterCommit).toEqual({});
    });

    it('also works with the SDK’s default idempotency key', async () => {
      emulator.faults.failAfterCommit('POST /v1/payment_intents', 1);
      const paymentIntent = await stripe.paymentIntents.create({ amount: 8_888, currency: 'usd', metadata: { marker: 'default-key' }, ...NO_REDIRECTS });
      expect(paymentIntent.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
      expect(await paymentIntentsWith('default-key')).toHaveLength(1);
    });

    it('is retried even with maxNetworkRetries 0: the SDK always retries a reset connection once', async () => {
      emulator.faults.failAfterCommit('POST /v1/payment_intents', 1);
      const paymentIntent = await stripeWithoutRetries.paymentIntents.create(
        { amount: 6_666, currency: 'usd', metadata: { marker: 'no-retries' }, ...NO_REDIRECTS },
        { idempotencyKey: 'key-no-retries' },
      );
      expect(paymentIntent.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(await paymentIntentsWith('no-retries')).toHaveLength(1);
    });

    it('surfaces a StripeConnectionError once the SDK runs out of retries, still with one payment', async () => {
      emulator.faults.failAfterCommit('POST /v1/payment_intents', 3);
      const error = await stripeError(
        stripe.paymentIntents.create({ amount: 9_999, currency: 'usd', metadata: { marker: 'all-lost' }, ...NO_REDIRECTS }, { idempotencyKey: 'key-all-lost' }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(emulator.requests.count('POST /v1/payment_intents')).toBe(3);
      expect(await paymentIntentsWith('all-lost')).toHaveLength(1);
    });

    it('is armed, inspected and cleared over the HTTP control surface, without an API key', async () => {
      const arm = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ failAfterCommit: { operation: 'POST /v1/customers/:id', times: 2 } }),
      });
      expect(arm.status).toBe(204);
      expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toMatchObject({ failAfterCommit: { 'POST /v1/customers/:id': 2 } });

      const updated = await stripe.customers.update('cus_R7kPzW4hYs1DuG', { metadata: { lost: 'twice' } });
      expect(updated.metadata['lost']).toBe('twice');
      expect(emulator.requests.count('POST /v1/customers/:id')).toBe(3);

      const requests = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as Record<string, number>;
      expect(requests['POST /v1/customers/:id']).toBe(3);
      expect((await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' })).status).toBe(204);
      expect(emulator.requests.count()).toBe(0);

      await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ failAfterCommit: { operation: 'POST /v1/refunds' } }) });
      expect((await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
      expect(emulator.faults.pending()).toEqual({ failAfterCommit: {}, delay: {}, rateLimit: {} });

      const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ failAfterCommit: { times: 1 } }) });
      expect(bad.status).toBe(400);
    });
  });

  describe('other faults', () => {
    it('answers 429 rate_limit, which the SDK does not retry', async () => {
      emulator.faults.rateLimit('GET /v1/customers', 1);
      const error = await stripeError(stripe.customers.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error.statusCode).toBe(429);
      expect(emulator.requests.count('GET /v1/customers')).toBe(1);
      expect((await stripe.customers.list()).data.length).toBe(10);
    });
  });
});
