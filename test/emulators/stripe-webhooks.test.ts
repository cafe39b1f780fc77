import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';
import { stripeSignatureHeader } from '../../emulators/stripe/webhook-signature.ts';

const SECRET = 'whsec_emulator_test_secret';

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook endpoint that records deliveries and answers with the status `respond` picks. */
class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  respond: (delivery: Delivery, attempt: number) => number | Promise<number> = () => 200;
  url = '';
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      this.deliveries.push(delivery);
      void Promise.resolve(this.respond(delivery, this.deliveries.length)).then((status) => res.writeHead(status).end());
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/webhooks/stripe`;
    return this;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.respond = () => 200;
  }

  eventTypes(): string[] {
    return this.deliveries.map((delivery) => (JSON.parse(delivery.body) as Stripe.Event).type);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Stripe emulator: events delivered to webhooks', () => {
  let receiver: WebhookReceiver;
  let emulator: StripeEmulator;
  let stripe: Stripe;
  const extraEmulators: StripeEmulator[] = [];

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    emulator = await startStripeEmulator({ webhook: { url: receiver.url, secret: SECRET } });
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
  });

  afterAll(async () => {
    await Promise.all([emulator?.close(), ...extraEmulators.map((extra) => extra.close())]);
    await receiver?.close();
  });

  afterEach(() => {
    emulator.setWebhook({ url: receiver.url, secret: SECRET });
    receiver.reset();
  });

  it('POSTs each event signed like Stripe; the SDK verifies it with constructEvent', async () => {
    const customer = await stripe.customers.create({ email: 'hooked@example.com' });
    await eventually(() => receiver.deliveries.length === 1, 'the customer.created delivery');

    const [delivery] = receiver.deliveries;
    expect(delivery?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(delivery?.headers['user-agent']).toMatch(/^Stripe\/1\.0/);
    const header = String(delivery?.headers['stripe-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const event = stripe.webhooks.constructEvent(delivery!.body, header, SECRET);
    expect(event).toMatchObject({ object: 'event', type: 'customer.created', livemode: false, api_version: Stripe.API_VERSION, pending_webhooks: 1 });
    expect(event.data.object).toMatchObject({ id: customer.id, email: 'hooked@example.com' });
    expect(event.request).toEqual({ id: customer.lastResponse.requestId, idempotency_key: customer.lastResponse.idempotencyKey });
    // The body is the event as recorded, from before its delivery was acknowledged.
    expect(JSON.parse(delivery!.body)).toEqual({ ...emulator.events.list().find((e) => e.id === event.id), pending_webhooks: 1 });

    // Once delivered, nothing is pending for it any more.
    await eventually(async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0, 'pending_webhooks to drop');
  });

  it('fails verification for a tampered body, another secret, or a stale timestamp', async () => {
    await stripe.customers.update('cus_Qm3vT8rLx2NcAe', { metadata: { tampering: 'test' } });
    await eventually(() => receiver.deliveries.length === 1, 'the customer.updated delivery');
    const { body, headers } = receiver.deliveries[0]!;
    const header = String(headers['stripe-signature']);

    const tampered = body.replace('"tampering": "test"', '"tampering": "evil"');
    expect(tampered).not.toBe(body);
    expect(() => stripe.webhooks.constructEvent(tampered, header, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(body, header, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(body, header, SECRET, 300, undefined, Date.now() + 10 * 60_000)).toThrow(/tolerance/);
    expect(stripe.webhooks.constructEvent(body, header, SECRET).type).toBe('customer.updated');
  });

  it('delivers the events of a payment in the order they happened', async () => {
    await stripe.paymentIntents.create({
      amount: 2_500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    await eventually(() => receiver.deliveries.length === 3, 'three deliveries');
    expect(receiver.eventTypes()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('retries a failed delivery with backoff until the endpoint accepts it', async () => {
    receiver.respond = (_delivery, attempt) => (attempt < 3 ? 500 : 200);
    const customer = await stripe.customers.create({ email: 'retry@example.com' });
    await eventually(() => receiver.deliveries.length === 3, 'three attempts');
    const ids = receiver.deliveries.map((delivery) => (JSON.parse(delivery.body) as Stripe.Event).id);
    expect(new Set(ids).size).toBe(1); // the same event each time: de-duplicate on event.id
    const event = await stripe.events.retrieve(ids[0]!);
    expect(event.data.object).toMatchObject({ id: customer.id });
    await eventually(async () => (await stripe.events.retrieve(ids[0]!)).pending_webhooks === 0, 'pending_webhooks to drop');
  });

  it('gives up after a bounded number of attempts, leaving the event pending, and goes on with the next', async () => {
    receiver.respond = (delivery) => ((JSON.parse(delivery.body) as Stripe.Event).type === 'customer.created' ? 503 : 200);
    const customer = await stripe.customers.create({ email: 'unlucky@example.com' });
    await stripe.customers.update(customer.id, { name: 'Unlucky' });
    await eventually(() => receiver.eventTypes().includes('customer.updated'), 'the next event');
    expect(receiver.eventTypes()).toEqual(['customer.created', 'customer.created', 'customer.created', 'customer.updated']);
    const created = emulator.events.list().findLast((event) => event.type === 'customer.created');
    expect((await stripe.events.retrieve(created!.id)).pending_webhooks).toBe(1);
  });

  it('never holds up the API while an endpoint is slow', async () => {
    receiver.respond = () => new Promise((resolve) => setTimeout(() => resolve(200), 1_500));
    const started = Date.now();
    await stripe.customers.create({ email: 'fast@example.com' });
    await stripe.customers.create({ email: 'faster@example.com' });
    expect(Date.now() - started).toBeLessThan(1_000); // the second delivery waits 1.5 s for the first
    await eventually(() => receiver.deliveries.length === 2, 'both deliveries');
  });

  it('is reconfigured at run time: off, then to another endpoint and secret', async () => {
    emulator.setWebhook(undefined);
    const unsent = await stripe.customers.create({ email: 'quiet@example.com' });
    const quiet = emulator.events.list().findLast((event) => event.type === 'customer.created');
    expect(quiet?.data.object).toMatchObject({ id: unsent.id });
    expect(quiet?.pending_webhooks).toBe(0);

    const other = await new WebhookReceiver().start();
    try {
      emulator.setWebhook({ url: other.url, secret: 'whsec_second' });
      await stripe.customers.create({ email: 'loud@example.com' });
      await eventually(() => other.deliveries.length === 1, 'the delivery to the second endpoint');
      const { body, headers } = other.deliveries[0]!;
      expect(stripe.webhooks.constructEvent(body, String(headers['stripe-signature']), 'whsec_second').type).toBe('customer.created');
      expect(receiver.deliveries).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('signs with the emulator clock, and close() waits for a delivery in flight', async () => {
    const pinned = Date.UTC(2026, 5, 1, 12, 0, 0);
    const slow = await new WebhookReceiver().start();
    slow.respond = () => new Promise((resolve) => setTimeout(() => resolve(200), 200));
    const pinnedEmulator = await startStripeEmulator({ webhook: { url: slow.url, secret: SECRET }, now: () => pinned, seed: false });
    extraEmulators.push(pinnedEmulator);
    try {
      const customer = await stripeClientFor(pinnedEmulator).customers.create({ email: 'pinned@example.com' });
      expect(customer.created).toBe(pinned / 1000);
      await eventually(() => slow.deliveries.length === 1, 'the delivery to start');
      await pinnedEmulator.close(); // returns once the slow endpoint has answered

      const { body, headers } = slow.deliveries[0]!;
      const header = String(headers['stripe-signature']);
      expect(header).toBe(stripeSignatureHeader(body, SECRET, pinned / 1000));
      expect(() => stripe.webhooks.constructEvent(body, header, SECRET)).toThrow(/tolerance/); // months old by the wall clock
      expect(stripe.webhooks.constructEvent(body, header, SECRET, 300, undefined, pinned).data.object).toMatchObject({ id: customer.id });
    } finally {
      await slow.close();
    }
  });
});
