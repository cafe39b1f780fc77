import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { signedTestDelivery } from '../../subgraphs/stripe/test-delivery.ts';
import { startTestApp } from '../support/app.ts';
import { redisAvailable, REDIS_URL } from '../support/redis.ts';
import { signTestToken } from '../support/tokens.ts';
import { settle, subscribe, wsClient } from '../support/ws-client.ts';

const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis)('two gateway replicas sharing Redis', () => {
  const replicas: RunningApp[] = [];
  const clients: Client[] = [];
  beforeAll(async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `fgw-test-${randomUUID()}` };
    replicas.push(await startTestApp(env), await startTestApp(env));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const replica of replicas) await replica.close();
  });
  const webhook = (replica: RunningApp, delivery: { body: string; headers: Record<string, string> }) =>
    fetch(replica.gateway.url.replace(/\/graphql$/, '/webhooks/stripe'), { method: 'POST', headers: delivery.headers, body: delivery.body });

  it('delivers a webhook received by replica A to a subscriber on replica B, once, even when both receive it', async () => {
    const [a, b] = replicas as [RunningApp, RunningApp];
    const client = wsClient(b.gateway.wsUrl, { token: await signTestToken({ sub: 'ops', scope: 'admin' }) });
    clients.push(client);
    const onB = subscribe(client, 'subscription { paymentEvents(customerId: "cus_TESTDELIVERY01") { id type } }');
    await settle(300);

    const delivery = signedTestDelivery({ type: 'payment_intent.succeeded', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    expect((await webhook(a, delivery)).status).toBe(200);
    expect((await webhook(b, delivery)).status).toBe(200); // Stripe retried it, and the retry landed on B
    const [event] = await onB.waitFor(1);
    expect(event!.data).toEqual({ paymentEvents: { id: delivery.eventId, type: 'payment.succeeded' } });
    await settle();
    expect(onB.results).toHaveLength(1);
  });
});
