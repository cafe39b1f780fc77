import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { startTestApp } from '../support/app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { paymentEvent, until } from './outbox-harness.ts';
import { startReceiver, type Receiver } from './receiver.ts';

// The application as `npm start` runs it, on the embedded PGlite (its own folder): endpoints managed through
// the real gateway over HTTP, with tokens as `npm run token` makes them.
let app: RunningApp;
let dataDir: string;
let receiver: Receiver;
let other: Receiver;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'webhooks-pglite-'));
  // A breaker that opens after 3 consecutive failures and stays open a minute: longer than any test waits.
  app = await startTestApp({
    DATABASE_DIR: dataDir,
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOKS_POLL_INTERVAL_MS: '50',
    WEBHOOKS_SCHEDULE_SCALE: '0.0001',
    WEBHOOKS_BREAKER_THRESHOLD: '3',
    WEBHOOKS_BREAKER_OPEN_MS: '60000',
  });
  receiver = await startReceiver();
  other = await startReceiver();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await other?.close();
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver of the test's own, closed after it. */
async function ownReceiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

const adaClaims = { sub: 'ada', scope: 'payments:read webhooks:write', customer: 'cus_ada' };
const as = async (claims: Record<string, unknown>, query: string, variables?: Record<string, unknown>) => postGraphQL(app.gateway.url, query, variables, await authorization(claims));

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes status } } }`;
const DELIVERIES = `query ($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 10) { nodes { id messageId eventType status attemptCount nextAttemptAt lastStatusCode attempts { attempt statusCode latencyMs succeeded } } pageInfo { hasNextPage } } } }`;
type Delivery = { id: string; messageId: string; eventType: string; status: string; attemptCount: number; nextAttemptAt: string | null; attempts: { attempt: number; statusCode: number | null; latencyMs: number; succeeded: boolean }[] };

async function deliveriesOf(endpointId: string): Promise<Delivery[]> {
  const response = await as(adaClaims, DELIVERIES, { id: endpointId });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data as { webhookEndpoint: { deliveries: { nodes: Delivery[] } } }).webhookEndpoint.deliveries.nodes;
}

/** An endpoint of ada's for the test's receiver, deleted after the test. */
async function createEndpoint(r: Receiver, eventTypes: string[]): Promise<string> {
  const created = await as(adaClaims, CREATE, { input: { url: r.url, eventTypes } });
  expect(created.body.errors).toBeUndefined();
  const { secret, endpoint } = (created.body.data as { createWebhookEndpoint: { secret: string; endpoint: { id: string } } }).createWebhookEndpoint;
  r.secrets = [secret];
  cleanups.push(async () => {
    await as(adaClaims, `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id });
  });
  return endpoint.id;
}

describe('webhook endpoints through the gateway', () => {
  it('creates an endpoint (secret shown once), delivers its owner’s events signed, and logs each attempt', async () => {
    const created = await as(adaClaims, CREATE, { input: { url: receiver.url, eventTypes: ['payment.*'], description: 'orders' } });
    expect(created.body.errors).toBeUndefined();
    const { secret, endpoint } = (created.body.data as { createWebhookEndpoint: { secret: string; endpoint: { id: string; status: string } } }).createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint.status).toBe('ENABLED');
    receiver.secrets = [secret];
    const listed = await as(adaClaims, '{ webhookEndpoints { id url } }');
    expect(JSON.stringify(listed.body.data)).not.toContain('whsec_');

    receiver.respond = () => (receiver.received.length === 1 ? 500 : 200);
    await app.eventBus.publish('payments', paymentEvent('cus_ada'));
    await app.eventBus.publish('payments', paymentEvent('cus_someone_else'));
    const [delivery] = await until(async () => {
      const found = await deliveriesOf(endpoint.id);
      return found[0]?.status === 'SUCCEEDED' ? found : undefined;
    }, 'the delivery to succeed');
    expect(delivery).toMatchObject({ eventType: 'payment.succeeded', attemptCount: 2 });
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode, a.succeeded])).toEqual([[1, 500, false], [2, 200, true]]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([delivery!.messageId]));

    // sendWebhookTestEvent, redeliverWebhook and replayWebhooks.
    const test = await as(adaClaims, `mutation ($id: ID!) { sendWebhookTestEvent(endpointId: $id) { id eventType } }`, { id: endpoint.id });
    expect(test.body.data).toMatchObject({ sendWebhookTestEvent: { eventType: 'webhook.test' } });
    await until(() => receiver.received.find((r) => r.type === 'webhook.test'), 'the test event');

    const before = receiver.received.length;
    const redelivered = await as(adaClaims, `mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`, { id: delivery!.id });
    expect(redelivered.body.errors).toBeUndefined();
    await until(() => (receiver.received.length > before ? true : undefined), 'the redelivery');
    expect(receiver.received[receiver.received.length - 1]!.id).toBe(delivery!.messageId);

    const replayed = await as(adaClaims, `mutation ($id: ID!, $since: DateTime!) { replayWebhooks(endpointId: $id, since: $since) }`, { id: endpoint.id, since: new Date(Date.now() - 60_000).toISOString() });
    expect(replayed.body.errors).toBeUndefined();
    // Only ada's payment: the other customer's event is not hers to see, the test event is not replayed.
    expect(replayed.body.data).toEqual({ replayWebhooks: 1 });

    // Someone else: the same answer as for an id that does not exist.
    const bobs = await as({ sub: 'bob', scope: 'webhooks:write' }, DELIVERIES, { id: endpoint.id });
    expect(errorCodes(bobs)).toEqual(['FORBIDDEN']);
    const missing = await as({ sub: 'bob', scope: 'webhooks:write' }, DELIVERIES, { id: 'ep_missing' });
    expect(errorCodes(missing)).toEqual(['FORBIDDEN']);

    // Disable, rotate, delete.
    const disabled = await as(adaClaims, `mutation ($id: ID!) { disableWebhookEndpoint(id: $id) { status disabledReason } }`, { id: endpoint.id });
    expect(disabled.body.data).toEqual({ disableWebhookEndpoint: { status: 'DISABLED', disabledReason: 'disabled' } });
    const rotated = await as(adaClaims, `mutation ($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }`, { id: endpoint.id });
    expect((rotated.body.data as { rotateWebhookEndpointSecret: { secret: string } }).rotateWebhookEndpointSecret.secret).not.toBe(secret);
    const deleted = await as(adaClaims, `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id });
    expect(deleted.body.data).toEqual({ deleteWebhookEndpoint: endpoint.id });
  });

  it('needs webhooks:write, and refuses unknown event types and private URLs where they are not allowed', async () => {
    const noScope = await as({ sub: 'ada', scope: 'payments:read' }, CREATE, { input: { url: other.url, eventTypes: ['*'] } });
    expect(errorCodes(noScope)).toEqual(['FORBIDDEN']);
    const anonymous = await postGraphQL(app.gateway.url, '{ webhookEndpoints { id } }');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const typo = await as(adaClaims, CREATE, { input: { url: other.url, eventTypes: ['payment.succeded'] } });
    expect(errorCodes(typo)).toEqual(['BAD_USER_INPUT']);
    const ftp = await as(adaClaims, CREATE, { input: { url: 'ftp://example.com/x', eventTypes: ['*'] } });
    expect(errorCodes(ftp)).toEqual(['BAD_USER_INPUT']);
    // GitHub's issue events can be asked for by name or family, as the repository ones can.
    const issues = await as(adaClaims, CREATE, { input: { url: other.url, eventTypes: ['issue.*', 'issue.opened'] } });
    expect(issues.body.errors).toBeUndefined();
  });
  it('numbers a delivery’s attempts in one sequence across a redelivery and a replay', async () => {
    const r = await ownReceiver();
    const endpointId = await createEndpoint(r, ['payment.*']);
    r.respond = () => (r.received.length === 1 ? 500 : 200);
    const since = new Date();
    await app.eventBus.publish('payments', paymentEvent('cus_ada'));
    const succeededAfter = (attempts: number) => async () => {
      const [found] = await deliveriesOf(endpointId);
      return found?.status === 'SUCCEEDED' && found.attempts.length === attempts ? found : undefined;
    };
    const delivery = await until(succeededAfter(2), 'the first success');

    const redelivered = await as(adaClaims, `mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attemptCount } }`, { id: delivery.id });
    expect(redelivered.body.errors).toBeUndefined();
    // The same delivery, due again; its count of attempts made so far is kept.
    expect(redelivered.body.data).toEqual({ redeliverWebhook: { id: delivery.id, status: 'PENDING', attemptCount: 2 } });
    await until(succeededAfter(3), 'the redelivery');
    const replayed = await as(adaClaims, `mutation ($id: ID!, $since: DateTime!) { replayWebhooks(endpointId: $id, since: $since) }`, { id: endpointId, since: since.toISOString() });
    expect(replayed.body.data).toEqual({ replayWebhooks: 1 });
    const logged = await until(succeededAfter(4), 'the replay');

    expect(logged.id).toBe(delivery.id);
    expect(logged.attemptCount).toBe(4);
    expect(logged.attempts.map((a) => [a.attempt, a.statusCode, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 200, true],
      [3, 200, true],
      [4, 200, true],
    ]);
    expect(r.received.map((x) => x.id)).toEqual(Array(4).fill(delivery.messageId));
  });

  it('shows a delivery held by an open breaker as due when the breaker lets it go, not at its past scheduled time', async () => {
    const r = await ownReceiver();
    r.respond = () => 500;
    const endpointId = await createEndpoint(r, ['payment.*']);
    await app.eventBus.publish('payments', paymentEvent('cus_ada'));
    // The third failure opens the breaker for a minute; the compressed schedule has the next attempt due in milliseconds.
    const held = await until(async () => {
      const [found] = await deliveriesOf(endpointId);
      return found?.status === 'PENDING' && found.attempts.length === 3 ? found : undefined;
    }, 'the breaker to open');
    const heldUntil = (nextAttemptAt: string | null | undefined) => {
      const at = Date.parse(nextAttemptAt ?? '');
      // The breaker opened before this was asked, for 60 s: well ahead of now, at most a minute ahead.
      expect(at).toBeGreaterThan(Date.now() + 30_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 60_000);
      return at;
    };
    const breakerEnds = heldUntil(held.nextAttemptAt);

    // A redelivery or a test event asked for now waits for the breaker too, and says so.
    const redelivered = await as(adaClaims, `mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { status attemptCount nextAttemptAt } }`, { id: held.id });
    expect(redelivered.body.errors).toBeUndefined();
    const again = (redelivered.body.data as { redeliverWebhook: { status: string; attemptCount: number; nextAttemptAt: string } }).redeliverWebhook;
    expect(again).toMatchObject({ status: 'PENDING', attemptCount: 3 });
    expect(heldUntil(again.nextAttemptAt)).toBe(breakerEnds);
    const test = await as(adaClaims, `mutation ($id: ID!) { sendWebhookTestEvent(endpointId: $id) { status nextAttemptAt } }`, { id: endpointId });
    expect(test.body.errors).toBeUndefined();
    expect(heldUntil((test.body.data as { sendWebhookTestEvent: { nextAttemptAt: string } }).sendWebhookTestEvent.nextAttemptAt)).toBe(breakerEnds);
    const listed = await deliveriesOf(endpointId);
    expect(listed.map((d) => Date.parse(d.nextAttemptAt ?? ''))).toEqual([breakerEnds, breakerEnds]);
    expect(r.received).toHaveLength(3);
  });
});
