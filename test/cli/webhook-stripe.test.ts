import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { seedPaymentIntents } from '../../emulators/stripe/fixtures/seed.ts';
import { useLiveApp } from '../support/live-app.ts';
import { settle, subscribe } from '../support/ws-client.ts';
import { runBin } from './processes.ts';

const ada = seedCustomers.find((customer) => customer.id === 'cus_Qm3vT8rLx2NcAe')!;
const dmitri = seedCustomers.find((customer) => customer.name === 'Dmitri Sokolov')!;
const claims = (customer: { id: string }) => ({ sub: `user-${customer.id}`, scope: 'payments:read', customer: customer.id });

const PAYMENT_EVENTS = /* GraphQL */ `
  subscription ($customerId: ID) {
    paymentEvents(customerId: $customerId) {
      id
      type
      paymentIntent { id status customer { id } }
      customer { id name }
    }
  }
`;
type PaymentEvents = { paymentEvents: { id: string; type: string; paymentIntent: { id: string; status: string; customer: { id: string } } | null; customer: { id: string; name: string } | null } };

const live = useLiveApp();
const webhookUrl = () => live.app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe');

/** `npm run webhook:stripe -- <args>` against the live app (the emulator's development secret, as `npm start` has it). */
async function webhookStripe(...args: string[]): Promise<{ stdout: string; eventId: string }> {
  const cli = runBin('webhook-stripe.ts', [...args, '--url', webhookUrl()], { STRIPE_WEBHOOK_SECRET: '' });
  expect(await cli.exited, cli.stderr()).toBe(0);
  const eventId = /(evt_test_\w+) → .*: 200 \{"received":true\}/.exec(cli.stdout())?.[1];
  if (!eventId) throw new Error(`no delivery in:\n${cli.stdout()}`);
  return { stdout: cli.stdout(), eventId };
}

describe('npm run webhook:stripe', () => {
  it('by default sends an event about Ada, the README’s example user, which her own paymentEvents subscription receives with her real payment', async () => {
    const adas = subscribe(await live.socket(claims(ada)), PAYMENT_EVENTS, { customerId: ada.id });
    await settle(200);

    const { stdout, eventId } = await webhookStripe('payment_intent.succeeded');
    expect(stdout).toContain(`payment_intent.succeeded for ${ada.id} (Ada Okafor)`);

    const [received] = await adas.waitFor(1);
    expect(received!.errors).toBeUndefined();
    const event = (received!.data as PaymentEvents).paymentEvents;
    expect(event).toMatchObject({ id: eventId, type: 'payment.succeeded', customer: { id: ada.id, name: 'Ada Okafor' } });
    // A payment of hers that the emulator really has (loaded afresh), in the state the event says.
    const adasPayments = seedPaymentIntents.filter((p) => p.customerId === ada.id).map((p) => p.id);
    expect(adasPayments).toContain(event.paymentIntent?.id);
    expect(event.paymentIntent).toMatchObject({ status: 'SUCCEEDED', customer: { id: ada.id } });
  });

  it('--customer targets another customer: theirs receives the event, Ada’s does not', async () => {
    const adas = subscribe(await live.socket(claims(ada)), PAYMENT_EVENTS, { customerId: ada.id });
    const dmitris = subscribe(await live.socket(claims(dmitri)), PAYMENT_EVENTS, { customerId: dmitri.id });
    await settle(200);

    const { stdout, eventId } = await webhookStripe('charge.refunded', '--customer', dmitri.id);
    expect(stdout).toContain(`charge.refunded for ${dmitri.id} (Dmitri Sokolov)`);

    const [received] = await dmitris.waitFor(1);
    expect(received!.errors).toBeUndefined();
    expect((received!.data as PaymentEvents).paymentEvents).toMatchObject({ id: eventId, type: 'payment.refunded', customer: { id: dmitri.id }, paymentIntent: { customer: { id: dmitri.id } } });
    await settle();
    expect(adas.results).toEqual([]);
  });

  it('says when the gateway will drop the event as stale (Ada has no failed payment), and names a customer whose subscription receives it', async () => {
    const adas = subscribe(await live.socket(claims(ada)), PAYMENT_EVENTS, { customerId: ada.id });
    const dmitris = subscribe(await live.socket(claims(dmitri)), PAYMENT_EVENTS, { customerId: dmitri.id });
    await settle(200);

    const forAda = await webhookStripe('payment_intent.payment_failed');
    expect(forAda.stdout).toMatch(/note: pi_\w+ \(Ada Okafor's\) is succeeded in the emulator, .*does not publish it/);
    expect(forAda.stdout).toContain(`--customer ${dmitri.id}`);

    const { stdout, eventId } = await webhookStripe('payment_intent.payment_failed', '--customer', dmitri.id);
    expect(stdout).not.toContain('note:');
    const [received] = await dmitris.waitFor(1);
    expect((received!.data as PaymentEvents).paymentEvents).toMatchObject({ id: eventId, type: 'payment.failed', paymentIntent: { customer: { id: dmitri.id } } });
    await settle();
    expect(adas.results).toEqual([]);
  });

  it('keeps signing as Stripe does; other objects stay samples, of the customer; a customer outside the seed gets samples only', async () => {
    // A receiver of our own: what the command sends, verified with the Stripe SDK.
    const { createServer } = await import('node:http');
    const received: { body: string; signature: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body, signature: String(request.headers['stripe-signature']) });
        response.end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const send = async (...args: string[]) => {
      const port = (server.address() as { port: number }).port;
      const cli = runBin('webhook-stripe.ts', [...args, '--url', `http://127.0.0.1:${port}/webhooks/stripe`], { STRIPE_WEBHOOK_SECRET: '' });
      expect(await cli.exited).toBe(0);
      const { body, signature } = received.at(-1)!;
      return { stdout: cli.stdout(), object: new Stripe('sk_test_unused').webhooks.constructEvent(body, signature, STRIPE_EMULATOR_WEBHOOK_SECRET).data.object };
    };
    try {
      const subscription = await send('customer.subscription.deleted');
      expect(subscription.object).toMatchObject({ id: 'sub_TESTDELIVERY01', object: 'subscription', customer: ada.id, status: 'canceled' });

      const outsider = await send('payment_intent.payment_failed', '--customer', 'cus_NotInTheSeed01');
      expect(outsider.stdout).toContain('cus_NotInTheSeed01 (not a seeded customer: sample objects)');
      expect(outsider.object).toMatchObject({ id: 'pi_TESTDELIVERY01', object: 'payment_intent', customer: 'cus_NotInTheSeed01', status: 'requires_payment_method' });
    } finally {
      server.close();
    }
  });
});
