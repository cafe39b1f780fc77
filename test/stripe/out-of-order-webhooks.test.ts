import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { DEFAULT_STRIPE_EMULATOR_API_KEY } from '../../emulators/stripe/server.ts';
import { PAYMENTS_TOPIC } from '../../subgraphs/stripe/events.ts';
import { signedTestDelivery, type TestEventObject } from '../../subgraphs/stripe/test-delivery.ts';
import { emulatorUrl, startTestApp } from '../support/app.ts';
import { recordEvents } from '../support/event-recorder.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { adminHeaders } from '../support/tokens.ts';

let app: RunningApp;
let stripe: Stripe;
let events: ReturnType<typeof recordEvents>;
beforeAll(async () => {
  app = await startTestApp();
  events = recordEvents(app.eventBus, PAYMENTS_TOPIC);
  const url = new URL(emulatorUrl(app, 'stripe'));
  stripe = new Stripe(DEFAULT_STRIPE_EMULATOR_API_KEY, { host: url.hostname, port: url.port, protocol: 'http' });
});
afterAll(async () => {
  await app?.close();
});

describe('Stripe events delivered late or twice', () => {
  it('an older event arriving after a newer one is not published, and the payment never reads as going back', async () => {
    const customer = seedCustomers[2]!.id;
    const intent = await stripe.paymentIntents.create({
      amount: 4_200,
      currency: 'usd',
      customer,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(intent.status).toBe('requires_action');
    await events.next((e) => e.type === 'payment.requires_action' && e.keys['paymentIntentId'] === intent.id);
    const answer = await fetch(intent.next_action!.use_stripe_sdk!['stripe_js'] as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'approve' }) });
    expect(await answer.json()).toMatchObject({ status: 'succeeded' });
    await events.next((e) => e.type === 'payment.succeeded' && e.keys['paymentIntentId'] === intent.id);

    // Stripe redelivers the older requires_action event (a retry that lost the race) under a new delivery.
    const older = (await stripe.events.list({ type: 'payment_intent.requires_action', limit: 100 })).data.find((e) => (e.data.object as Stripe.PaymentIntent).id === intent.id)!;
    const late = signedTestDelivery({ type: older.type, object: older.data.object as unknown as TestEventObject, timestamp: Math.floor(Date.now() / 1000), secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    const webhookUrl = app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe');
    expect((await fetch(webhookUrl, { method: 'POST', headers: late.headers, body: late.body })).status).toBe(200);
    // A newer event after it is processed (the pipeline is not stuck), while the stale one was dropped.
    await stripe.customers.update(customer, { metadata: { marker: intent.id } });
    await events.next((e) => e.type === 'customer.updated' && e.keys['customerId'] === customer);
    expect(events.published.filter((e) => e.keys['paymentIntentId'] === intent.id).map((e) => e.type)).toEqual(['payment.created', 'payment.requires_action', 'payment.succeeded']);
    expect(events.published.some((e) => e.id === late.eventId)).toBe(false);

    const read = await postGraphQL<{ paymentIntent: { status: string } }>(app.gateway.url, `{ paymentIntent(id: "${intent.id}") { status } }`, undefined, await adminHeaders());
    expect(read.body.data).toEqual({ paymentIntent: { status: 'SUCCEEDED' } });
  });
});
