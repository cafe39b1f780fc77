import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { RunningApp } from '../../app/start-app.ts';
import { DEFAULT_STRIPE_EMULATOR_API_KEY } from '../../emulators/stripe/server.ts';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { PAYMENTS_TOPIC } from '../../subgraphs/stripe/events.ts';
import { signedTestDelivery } from '../../subgraphs/stripe/test-delivery.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { emulatorUrl, startTestApp } from '../support/app.ts';
import { recordEvents } from '../support/event-recorder.ts';
import { adminHeaders } from '../support/tokens.ts';

let app: RunningApp;
let webhookUrl: string;
let events: ReturnType<typeof recordEvents>;
beforeAll(async () => {
  app = await startTestApp();
  webhookUrl = app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe');
  events = recordEvents(app.eventBus, PAYMENTS_TOPIC);
});
afterAll(async () => {
  await app?.close();
});

const deliver = (body: string, headers: Record<string, string>) => fetch(webhookUrl, { method: 'POST', headers, body });

const publishedEvent = (match: (event: DomainEvent) => boolean) => events.next(match);

describe('POST /webhooks/stripe on the gateway', () => {
  it('accepts an event signed as Stripe signs it, and publishes it as a domain event', async () => {
    const delivery = signedTestDelivery({ type: 'payment_intent.succeeded', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    const response = await deliver(delivery.body, delivery.headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    const event = await publishedEvent((e) => e.id === delivery.eventId);
    expect(event).toMatchObject({ provider: 'stripe', type: 'payment.succeeded', keys: { paymentIntentId: 'pi_TESTDELIVERY01', customerId: 'cus_TESTDELIVERY01' } });
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a missing signature, processing none', async () => {
    const before = events.published.length;
    const genuine = signedTestDelivery({ type: 'customer.updated', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    const tampered = await deliver(genuine.body.replace('test.delivery@example.com', 'attacker@example.com'), genuine.headers);
    const wrongSecret = signedTestDelivery({ type: 'customer.updated', secret: 'whsec_not_the_right_one' });
    const stale = signedTestDelivery({ type: 'customer.updated', secret: STRIPE_EMULATOR_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 301 });
    const statuses = [
      tampered.status,
      (await deliver(wrongSecret.body, wrongSecret.headers)).status,
      (await deliver(stale.body, stale.headers)).status,
      (await deliver(genuine.body, { 'content-type': 'application/json' })).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.length).toBe(before);
  });

  it('acknowledges a replayed event id without processing it twice', async () => {
    const delivery = signedTestDelivery({ type: 'invoice.paid', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    const first = await deliver(delivery.body, delivery.headers);
    const replay = await deliver(delivery.body, delivery.headers);
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    await publishedEvent((e) => e.id === delivery.eventId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.filter((e) => e.id === delivery.eventId)).toHaveLength(1);
  });

  it('acknowledges and ignores event types it does not use', async () => {
    const delivery = signedTestDelivery({ type: 'balance.available', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    expect((await deliver(delivery.body, delivery.headers)).status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await deliver(JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }), { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' });
    expect(response.status).toBe(413);
  });
});

describe('events from Stripe itself (the emulator) keep the cache fresh', () => {
  it('evicts a cached customer when Stripe reports a change made elsewhere', async () => {
    const customer = seedCustomers[5]!;
    const read = async () =>
      postGraphQL<{ customer: { description: string | null } }>(app.gateway.url, `{ customer(id: "${customer.id}") { description } }`, undefined, await adminHeaders());
    expect((await read()).body.errors).toBeUndefined(); // now cached

    // A change made outside the gateway (the dashboard, another service) reaches us only as a webhook.
    const url = new URL(emulatorUrl(app, 'stripe'));
    const stripe = new Stripe(DEFAULT_STRIPE_EMULATOR_API_KEY, { host: url.hostname, port: url.port, protocol: 'http' });
    await stripe.customers.update(customer.id, { description: 'changed in the dashboard' });
    await publishedEvent((e) => e.type === 'customer.updated' && e.keys['customerId'] === customer.id);

    expect((await read()).body.data).toEqual({ customer: { description: 'changed in the dashboard' } });
  });
});

describe('npm run webhook:stripe', () => {
  it('sends a correctly signed test event to a running gateway', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/webhook-stripe.ts', 'customer.subscription.deleted', '--url', webhookUrl], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, STRIPE_WEBHOOK_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/customer\.subscription\.deleted evt_test_\w+ → .*: 200 \{"received":true\}/);
    const eventId = /(evt_test_\w+)/.exec(out)![1]!;
    expect(await publishedEvent((e) => e.id === eventId)).toMatchObject({ type: 'subscription.canceled', keys: { subscriptionId: 'sub_TESTDELIVERY01' } });
  });
});
