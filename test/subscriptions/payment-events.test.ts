import { describe, expect, it } from 'vitest';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { signedTestDelivery } from '../../subgraphs/stripe/test-delivery.ts';
import { useLiveApp } from '../support/live-app.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { settle, subscribe } from '../support/ws-client.ts';

const ada = seedCustomers[0]!;
const bob = seedCustomers[3]!;
const claims = (customer: typeof ada, scope = 'payments:read payments:write') => ({ sub: `user-${customer.id}`, scope, customer: customer.id });

const PAYMENT_EVENTS = /* GraphQL */ `
  subscription ($customerId: ID, $after: ID) {
    paymentEvents(customerId: $customerId, afterEventId: $after) {
      id
      type
      paymentIntent { id status amount { formatted } }
      customer { id github { login name } }
    }
  }
`;

const live = useLiveApp();
const client = (tokenClaims?: Record<string, unknown>) => live.socket(tokenClaims);

const webhook = (body: string, headers: Record<string, string>) => fetch(live.app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe'), { method: 'POST', headers, body });

describe('paymentEvents through the gateway', () => {
  it('delivers the customer’s own payment events, with fields from other subgraphs, and nothing to anyone else', async () => {
    const adas = subscribe(await client(claims(ada)), PAYMENT_EVENTS, { customerId: ada.id });
    const bobs = subscribe(await client(claims(bob)), PAYMENT_EVENTS, { customerId: bob.id });
    const admins = subscribe(await client({ sub: 'ops', scope: 'admin' }), PAYMENT_EVENTS);
    await settle(200);

    // A real payment through the gateway: the Stripe emulator then delivers signed webhooks to the gateway.
    const created = await postGraphQL<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
      live.app.gateway.url,
      `mutation { createPaymentIntent(input: { customerId: "${ada.id}", amount: 4200, currency: "usd", idempotencyKey: "sub-test-0001" }) { paymentIntent { id } } }`,
      undefined,
      await authorization(claims(ada)),
    );
    const id = created.body.data!.createPaymentIntent.paymentIntent.id;
    await postGraphQL(
      live.app.gateway.url,
      `mutation { confirmPaymentIntent(input: { id: "${id}", paymentMethod: "pm_card_visa", idempotencyKey: "sub-test-0002" }) { status } }`,
      undefined,
      await authorization(claims(ada)),
    );

    const received = await adas.waitFor(2);
    expect(received.map((r) => (r.data as { paymentEvents: { type: string } }).paymentEvents.type)).toEqual(['payment.created', 'payment.succeeded']);
    expect(received[1]!.data).toMatchObject({
      paymentEvents: { paymentIntent: { id, status: 'SUCCEEDED', amount: { formatted: '$42.00' } }, customer: { id: ada.id, github: { login: ada.githubLogin } } },
    });
    expect(received.every((r) => r.errors === undefined)).toBe(true);
    await admins.waitFor(2);
    await settle();
    expect(bobs.results).toEqual([]);
  });

  it('refuses to open a subscription to someone else’s payments, or for anonymous callers', async () => {
    const other = subscribe(await client(claims(bob)), PAYMENT_EVENTS, { customerId: ada.id });
    const anonymous = subscribe(await client(), PAYMENT_EVENTS, { customerId: ada.id });
    const everyone = subscribe(await client(claims(bob)), PAYMENT_EVENTS);
    expect(await other.ended).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    expect(await anonymous.ended).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await everyone.ended).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });

  it('delivers a webhook received twice once, and replays what a reconnecting client missed', async () => {
    const first = subscribe(await client({ sub: 'ops', scope: 'admin' }), PAYMENT_EVENTS, { customerId: 'cus_TESTDELIVERY01' });
    await settle(200);
    const one = signedTestDelivery({ type: 'payment_intent.processing', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    expect((await webhook(one.body, one.headers)).status).toBe(200);
    expect((await webhook(one.body, one.headers)).status).toBe(200);
    const [seen] = await first.waitFor(1);
    first.stop();
    await settle(100);
    expect(first.results).toHaveLength(1);

    // While the client is away, two more events happen.
    for (const type of ['payment_intent.succeeded', 'charge.refunded']) {
      const delivery = signedTestDelivery({ type, secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
      expect((await webhook(delivery.body, delivery.headers)).status).toBe(200);
    }
    await settle(100);
    const lastSeen = (seen!.data as { paymentEvents: { id: string } }).paymentEvents.id;
    expect(lastSeen).toBe(one.eventId);
    const resumed = subscribe(await client({ sub: 'ops', scope: 'admin' }), PAYMENT_EVENTS, { customerId: 'cus_TESTDELIVERY01', after: lastSeen });
    const missed = await resumed.waitFor(2);
    expect(missed.map((r) => (r.data as { paymentEvents: { type: string } }).paymentEvents.type)).toEqual(['payment.succeeded', 'payment.refunded']);

    const tooOld = subscribe(await client({ sub: 'ops', scope: 'admin' }), PAYMENT_EVENTS, { customerId: 'cus_TESTDELIVERY01', after: 'evt_not_buffered_anymore' });
    // Too old to replay: one result with REPLAY_UNAVAILABLE, then the subscription completes.
    await tooOld.ended;
    expect(tooOld.results).toMatchObject([{ errors: [{ extensions: { code: 'REPLAY_UNAVAILABLE' } }] }]);
  });
});
