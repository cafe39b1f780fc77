import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { seedStripeCustomers } from '../../emulators/stripe/fixtures/seed.ts';
import { DEFAULT_STRIPE_EMULATOR_API_KEY, startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';
import { stripeError } from '../support/stripe-error.ts';

/** Newest first: the seed creates customers one a day in seed order. */
const seedIdsNewestFirst = [...seedCustomers].reverse().map((customer) => customer.id);

describe('Stripe emulator: customers through the SDK', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  beforeEach(() => {
    emulator.requests.reset();
  });

  it('listens on a free loopback port and takes the default test key', () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.host).toBe('127.0.0.1');
    expect(emulator.apiKey).toBe(DEFAULT_STRIPE_EMULATOR_API_KEY);
    expect(DEFAULT_STRIPE_EMULATOR_API_KEY).toBe('sk_test_emulator');
  });

  describe('seeded customers', () => {
    it('auto-pages through all 20 seed customers, newest first, with their linked identities', async () => {
      const customers = await stripe.customers.list({ limit: 6 }).autoPagingToArray({ limit: 100 });
      expect(customers.map((customer) => customer.id)).toEqual(seedIdsNewestFirst);
      expect(emulator.requests.count('GET /v1/customers')).toBe(4); // 6 + 6 + 6 + 2

      const ada = customers.find((customer) => customer.id === 'cus_Qm3vT8rLx2NcAe');
      expect(ada).toMatchObject({
        object: 'customer',
        name: 'Ada Okafor',
        email: 'ada.okafor@example.com',
        livemode: false,
        metadata: { github_login: 'adaokafor', twitter_username: 'ada_builds', storage_prefix: 'customers/cus_Qm3vT8rLx2NcAe/' },
      });
      const evergreen = customers.find((customer) => customer.id === 'cus_U9bLc3yNq7WfEi');
      expect(evergreen?.metadata).toEqual({ storage_prefix: 'customers/cus_U9bLc3yNq7WfEi/' });
      for (const customer of customers) {
        const seed = seedStripeCustomers.find((candidate) => candidate.id === customer.id);
        expect(customer.created).toBe(seed?.created);
        expect(customer.metadata).toEqual(seed?.metadata);
      }
    });

    it('pages forwards with starting_after and back with ending_before, like Stripe', async () => {
      const first = await stripe.customers.list({ limit: 8 });
      expect(first.object).toBe('list');
      expect(first.url).toBe('/v1/customers');
      expect(first.has_more).toBe(true);
      expect(first.data.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(0, 8));

      const second = await stripe.customers.list({ limit: 8, starting_after: first.data.at(-1)!.id });
      expect(second.data.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(8, 16));
      expect(second.has_more).toBe(true);

      const last = await stripe.customers.list({ limit: 8, starting_after: second.data.at(-1)!.id });
      expect(last.data.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(16));
      expect(last.has_more).toBe(false);

      // Backwards from the first item of the last page: the 8 newer customers, still newest first.
      const back = await stripe.customers.list({ limit: 8, ending_before: last.data[0]!.id });
      expect(back.data.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(8, 16));
      expect(back.has_more).toBe(true);
      const front = await stripe.customers.list({ limit: 8, ending_before: back.data[0]!.id });
      expect(front.data.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(0, 8));
      expect(front.has_more).toBe(false);
    });

    it('auto-pages backwards from an ending_before cursor', async () => {
      const oldest = seedIdsNewestFirst.at(-1)!;
      const newer = await stripe.customers.list({ limit: 5, ending_before: oldest }).autoPagingToArray({ limit: 100 });
      // The SDK walks towards newer objects and yields them nearest-the-cursor first.
      expect(newer.map((c) => c.id)).toEqual(seedIdsNewestFirst.slice(0, -1).reverse());
    });

    it('filters by exact email', async () => {
      const found = await stripe.customers.list({ email: 'priya.raman@example.in' });
      expect(found.data.map((c) => c.id)).toEqual(['cus_F5uAm6sDz3HqLd']);
      expect((await stripe.customers.list({ email: 'PRIYA.RAMAN@example.in' })).data).toEqual([]);
      expect((await stripe.customers.list({ email: 'nobody@example.com' })).data).toEqual([]);
    });

    it('refuses a page size outside 1..100 and an unknown cursor', async () => {
      const tooBig = await stripeError(stripe.customers.list({ limit: 101 }));
      expect(tooBig).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(tooBig.param).toBe('limit');
      const cursor = await stripeError(stripe.customers.list({ starting_after: 'cus_doesnotexist1' }));
      expect(cursor.code).toBe('resource_missing');
      expect(cursor.param).toBe('starting_after');
    });
  });

  describe('writes', () => {
    it('creates a customer with metadata and emits customer.created', async () => {
      const customer = await stripe.customers.create({
        name: 'Uma Fieldstone',
        email: 'uma@example.com',
        metadata: { github_login: 'umaf', plan: 'trial' },
      });
      expect(customer).toMatchObject({
        object: 'customer',
        name: 'Uma Fieldstone',
        email: 'uma@example.com',
        metadata: { github_login: 'umaf', plan: 'trial' },
        balance: 0,
        livemode: false,
        description: null,
      });
      expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
      expect(Math.abs(customer.created - Date.now() / 1000)).toBeLessThan(5);

      const listed = await stripe.customers.list({ limit: 1 });
      expect(listed.data[0]?.id).toBe(customer.id); // newest first
      const event = emulator.events.list().find((e) => e.type === 'customer.created' && e.data.object.id === customer.id);
      expect(event?.data.object).toMatchObject({ email: 'uma@example.com' });
    });

    it('merges metadata on update, an empty value deleting its key, and reports the previous values', async () => {
      const customer = await stripe.customers.create({ email: 'merge@example.com', metadata: { a: '1', b: '2' } });
      const updated = await stripe.customers.update(customer.id, { name: 'Merged', metadata: { b: '', c: '3' } });
      expect(updated.metadata).toEqual({ a: '1', c: '3' });
      expect(updated.name).toBe('Merged');

      const event = emulator.events.list().findLast((e) => e.type === 'customer.updated' && e.data.object.id === customer.id);
      expect(event?.data.previous_attributes).toEqual({ name: null, metadata: { b: '2', c: null } });

      const cleared = await stripe.customers.update(customer.id, { metadata: '' });
      expect(cleared.metadata).toEqual({});
    });

    it('deletes a customer: the stub stays retrievable, it leaves listings, and it can no longer be updated', async () => {
      const customer = await stripe.customers.create({ email: 'gone@example.com' });
      const deleted = await stripe.customers.del(customer.id);
      expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });

      const retrieved = await stripe.customers.retrieve(customer.id);
      expect(retrieved).toEqual({ id: customer.id, object: 'customer', deleted: true });
      expect((await stripe.customers.list({ email: 'gone@example.com' })).data).toEqual([]);

      const error = await stripeError(stripe.customers.update(customer.id, { name: 'Back' }));
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
      expect(emulator.events.list().some((e) => e.type === 'customer.deleted' && e.data.object.id === customer.id)).toBe(true);
    });

    it('refuses unknown and malformed parameters with 400 before changing anything', async () => {
      const before = (await stripe.customers.list({ limit: 100 })).data.length;
      const unknown = await stripeError(stripe.customers.create({ email: 'x@example.com', favourite_colour: 'blue' } as Stripe.CustomerCreateParams));
      expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.code).toBe('parameter_unknown');
      expect(unknown.param).toBe('favourite_colour');
      expect(unknown.message).toBe('Received unknown parameter: favourite_colour');

      const nested = await stripeError(stripe.customers.create({ metadata: { ok: 'yes' }, address: { city: 'Oslo' } }));
      expect(nested.param).toBe('address');

      const badInteger = await stripeError(stripe.customers.list({ limit: 'ten' as unknown as number }));
      expect(badInteger.code).toBe('parameter_invalid_integer');

      const badExpand = await stripeError(stripe.customers.create({ email: 'expand@example.com', expand: ['nonsense'] }));
      expect(badExpand.message).toBe('This property cannot be expanded (nonsense).');
      expect((await stripe.customers.list({ limit: 100 })).data.length).toBe(before);
    });
  });

  describe('errors and wire format', () => {
    it('answers an unknown customer with 404 resource_missing', async () => {
      const error = await stripeError(stripe.customers.retrieve('cus_DoesNotExist00'));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
      expect(error.param).toBe('id');
      expect(error.message).toBe("No such customer: 'cus_DoesNotExist00'");
      expect(error.requestId).toMatch(/^req_/);
      expect(error.doc_url).toBe('https://stripe.com/docs/error-codes/resource-missing');
      expect(error.request_log_url).toBe(`https://dashboard.stripe.com/test/logs/${error.requestId}`);
    });

    it('refuses a wrong API key with 401 without echoing it', async () => {
      const intruder = new Stripe('sk_test_wrongkey1234567890', { host: emulator.host, port: emulator.port, protocol: 'http', maxNetworkRetries: 2 });
      const error = await stripeError(intruder.customers.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.statusCode).toBe(401);
      expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*+7890$/);
      expect(error.message).not.toContain('wrongkey');
      expect(emulator.requests.count('GET /v1/customers')).toBe(1); // refused, counted, not retried

      const missing = await fetch(`${emulator.url}/v1/customers`);
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^You did not provide an API key/);
    });

    it('accepts the key as the user name of basic auth, as Stripe does', async () => {
      const response = await fetch(`${emulator.url}/v1/customers/cus_Qm3vT8rLx2NcAe`, {
        headers: { authorization: `Basic ${Buffer.from(`${emulator.apiKey}:`).toString('base64')}` },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { name: string }).name).toBe('Ada Okafor');
    });

    it('answers JSON with Request-Id and Stripe-Version, echoing the version asked for', async () => {
      const headers = { authorization: `Bearer ${emulator.apiKey}` };
      const plain = await fetch(`${emulator.url}/v1/customers?limit=1`, { headers });
      expect(plain.headers.get('content-type')).toBe('application/json');
      expect(plain.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);
      expect(plain.headers.get('stripe-version')).toBe(Stripe.API_VERSION);

      const pinned = await fetch(`${emulator.url}/v1/customers?limit=1`, { headers: { ...headers, 'stripe-version': '2024-06-20' } });
      expect(pinned.headers.get('stripe-version')).toBe('2024-06-20');

      const customer = await stripe.customers.retrieve('cus_Qm3vT8rLx2NcAe');
      expect(customer.lastResponse.requestId).toMatch(/^req_/);
      expect(customer.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
    });

    it('parses bracketed form parameters and query strings with qs', async () => {
      const body = new URLSearchParams({ 'metadata[order]': '42', 'metadata[note]': 'a b&c', email: 'form@example.com', 'expand[0]': 'invoice_settings.default_payment_method' });
      const created = await fetch(`${emulator.url}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      // invoice_settings.default_payment_method is null here, so expanding it is allowed and a no-op.
      expect(created.status).toBe(200);
      expect(await created.json()).toMatchObject({ email: 'form@example.com', metadata: { order: '42', note: 'a b&c' } });
    });

    it('expands data.customer on lists and refuses what cannot be expanded', async () => {
      const payments = await stripe.paymentIntents.list({ customer: 'cus_Qm3vT8rLx2NcAe', expand: ['data.customer'] });
      expect(payments.data.length).toBeGreaterThan(0);
      for (const payment of payments.data) {
        expect(payment.customer).toMatchObject({ id: 'cus_Qm3vT8rLx2NcAe', object: 'customer', name: 'Ada Okafor' });
      }
      const refused = await stripeError(stripe.customers.retrieve('cus_Qm3vT8rLx2NcAe', { expand: ['metadata'] }));
      expect(refused.message).toBe('This property cannot be expanded (metadata).');
      const notOnList = await stripeError(stripe.customers.list({ expand: ['customer'] }));
      expect(notOnList.statusCode).toBe(400);
    });

    it('answers an unknown path like Stripe and counts operations with ids normalised', async () => {
      const response = await fetch(`${emulator.url}/v1/widgets/wid_123`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/widgets\/wid_123\)/);

      await stripe.customers.retrieve('cus_Qm3vT8rLx2NcAe');
      await stripe.customers.retrieve('cus_R7kPzW4hYs1DuG');
      expect(emulator.requests.byOperation()).toEqual({ 'GET /v1/widgets/:id': 1, 'GET /v1/customers/:id': 2 });
      expect(emulator.requests.count()).toBe(3);
    });
  });
});
