import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../../kit/events/event-bus.ts';
import { createMetrics } from '../../kit/metrics.ts';
import { migrateToLatest } from '../../kit/database/migrations.ts';
import { createOutbox } from '../../subgraphs/webhooks/outbox.ts';
import { webhookMigrations, type WebhookTables } from '../../subgraphs/webhooks/tables.ts';
import type { WebhooksSubgraph } from '../../subgraphs/webhooks/index.ts';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.ts';
import { ada, bob, endpointsOf, newBus, paymentEvent, startReplica, testSettings, until } from './outbox-harness.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const hasPostgres = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(settings = testSettings()) {
  const database: TestDatabase = await openTestDatabase(webhookMigrations, 'postgres');
  cleanups.push(() => database.close());
  const bus: EventBus = newBus();
  cleanups.push(() => bus.close());
  const replica: WebhooksSubgraph = startReplica(database, bus, settings);
  cleanups.push(() => replica.close());
  return { database, bus, replica, endpoints: endpointsOf(database), db: database.db.withTables<WebhookTables>() };
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

describe.skipIf(!hasPostgres)('outgoing webhooks on Postgres', () => {
  it('delivers an event signed per Standard Webhooks, verifiable by the reference library', async () => {
    const { bus, endpoints } = await setUp();
    const r = await receiver();
    const { secret } = await endpoints.create(ada, { url: r.url, eventTypes: ['payment.*'] });
    r.secrets = [secret];
    const event = paymentEvent('cus_ada');
    await bus.publish('payments', event);
    const got = await until(() => r.received[0], 'the delivery');
    expect(got.verified).toBe(true);
    expect(got.id).toMatch(/^msg_/);
    expect(got.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(JSON.parse(got.body)).toEqual({ type: 'payment.succeeded', timestamp: event.occurredAt, data: { id: event.id, provider: 'stripe', customerId: 'cus_ada', paymentIntentId: event.keys['paymentIntentId'] } });
  });

  it('retries failures on the schedule with the same webhook-id, logs every attempt, and stops at the first 2xx', async () => {
    const { bus, endpoints, db } = await setUp();
    const r = await receiver();
    const { endpoint, secret } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    r.secrets = [secret];
    r.respond = () => (r.received.length < 3 ? 500 : 200);
    await bus.publish('payments', paymentEvent('cus_ada'));
    const delivery = await until(async () => {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).executeTakeFirst();
      return row?.status === 'succeeded' ? row : undefined;
    }, 'success');
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    expect(r.received.every((x) => x.verified)).toBe(true);
    const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', delivery.id).orderBy('attempt').execute();
    expect(attempts.map((a) => [a.attempt, a.status_code, a.succeeded])).toEqual([[1, 500, false], [2, 500, false], [3, 200, true]]);
  });

  it('gives up after the last attempt of the schedule and marks the delivery failed', async () => {
    const { bus, endpoints, db } = await setUp(testSettings({ schedule: { delaysMs: [5, 5], jitter: 0 } }));
    const r = await receiver();
    const { endpoint } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    r.respond = () => 503;
    await bus.publish('payments', paymentEvent('cus_ada'));
    const failed = await until(async () => {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).executeTakeFirst();
      return row?.status === 'failed' ? row : undefined;
    }, 'failed delivery');
    expect(failed.attempt_count).toBe(3);
    expect(failed.next_attempt_at).toBeNull();
    expect(r.received).toHaveLength(3);
  });

  it('starts the schedule over when a failed delivery is redelivered, numbering its attempts on from the last', async () => {
    const settings = testSettings({ schedule: { delaysMs: [5, 5], jitter: 0 } });
    const { bus, endpoints, db, replica } = await setUp(settings);
    const r = await receiver();
    r.respond = () => 503;
    const { endpoint } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    await bus.publish('payments', paymentEvent('cus_ada'));
    const failedAfter = (attempts: number) => async () => {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).executeTakeFirst();
      return row?.status === 'failed' && row.attempt_count === attempts ? row : undefined;
    };
    const failed = await until(failedAfter(3), 'the schedule to run out');
    expect(await createOutbox(db, settings).redeliver(failed.id)).toMatchObject({ status: 'pending', attempt_count: 3 });
    replica.worker.wake();
    // Three more attempts (the whole schedule again), numbered 4 to 6.
    await until(failedAfter(6), 'the redelivery to run out');
    const attempts = await db.selectFrom('webhook_attempts').select(['attempt', 'status_code']).where('delivery_id', '=', failed.id).orderBy('id').execute();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.received).toHaveLength(6);
  });

  it('disables an endpoint that answers 410 and tells its owner’s other endpoints', async () => {
    const { bus, endpoints } = await setUp();
    const gone = await receiver();
    const watcher = await receiver();
    const { endpoint } = await endpoints.create(ada, { url: gone.url, eventTypes: ['payment.*'] });
    const { secret } = await endpoints.create(ada, { url: watcher.url, eventTypes: ['webhook_endpoint.disabled'] });
    const bobs = await receiver();
    await endpoints.create(bob, { url: bobs.url, eventTypes: ['*'] });
    watcher.secrets = [secret];
    gone.respond = () => 410;
    await bus.publish('payments', paymentEvent('cus_ada'));
    const notice = await until(() => watcher.received[0], 'the disabled event');
    expect(notice.verified).toBe(true);
    expect(JSON.parse(notice.body)).toMatchObject({ type: 'webhook_endpoint.disabled', data: { endpointId: endpoint.id, reason: 'gone' } });
    expect((await endpoints.get(endpoint.id))?.status).toBe('disabled');
    expect(gone.received).toHaveLength(1);
    // Another owner's endpoint hears nothing of it (nor of ada's payment).
    expect(bobs.received).toHaveLength(0);
  });

  it('disables an endpoint failing for longer than allowed', async () => {
    const { bus, endpoints } = await setUp(testSettings({ disableAfterMs: 0 }));
    const r = await receiver();
    r.respond = () => 500;
    const { endpoint } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    await bus.publish('payments', paymentEvent('cus_ada'));
    const disabled = await until(async () => {
      const row = await endpoints.get(endpoint.id);
      return row?.status === 'disabled' ? row : undefined;
    }, 'disabled');
    expect(disabled.disabled_reason).toBe('failing');
  });

  it('sends an owner only the events a subscription of theirs would get', async () => {
    const { bus, endpoints, replica } = await setUp();
    const adas = await receiver();
    const bobs = await receiver();
    const admins = await receiver();
    const noScope = await receiver();
    await endpoints.create(ada, { url: adas.url, eventTypes: ['*'] });
    await endpoints.create(bob, { url: bobs.url, eventTypes: ['*'] });
    await endpoints.create({ subject: 'root', scopes: ['admin'] }, { url: admins.url, eventTypes: ['payment.*', 'object.*'] });
    await endpoints.create({ subject: 'eve', scopes: ['webhooks:write'], customerId: 'cus_ada' }, { url: noScope.url, eventTypes: ['*'] });
    await bus.publish('payments', paymentEvent('cus_ada'));
    await bus.publish('payments', paymentEvent('cus_bob'));
    await bus.publish('storage', { id: 'obj1', provider: 's3', type: 'object.created', occurredAt: new Date().toISOString(), keys: { bucket: 'b', key: 'customers/ada/a.txt' } });
    await bus.publish('storage', { id: 'obj2', provider: 's3', type: 'object.created', occurredAt: new Date().toISOString(), keys: { bucket: 'b', key: 'customers/bob/b.txt' } });
    await bus.publish('social', { id: 'gh1', provider: 'github', type: 'repository.starred', occurredAt: new Date().toISOString(), keys: { repository: 'acme/widgets' } });
    await replica.feed.flush();
    await until(() => (admins.received.length === 4 && adas.received.length === 3 && bobs.received.length === 1 ? true : undefined), 'deliveries');
    const data = (r: Receiver) => r.received.map((x) => JSON.parse(x.body) as { type: string; data: Record<string, string> }).map((p) => p.data['customerId'] ?? p.data['key'] ?? p.data['repository']).sort();
    expect(data(adas)).toEqual(['acme/widgets', 'cus_ada', 'customers/ada/a.txt']);
    expect(data(bobs)).toEqual(['cus_bob']);
    expect(data(admins)).toEqual(['cus_ada', 'cus_bob', 'customers/ada/a.txt', 'customers/bob/b.txt']);
    // A linked customer without `payments:read` is not enough, as for paymentEvents.
    expect(noScope.received).toHaveLength(0);
  });

  it('never makes one attempt twice with two replicas delivering from one database, and records every event once', async () => {
    const settings = testSettings({ maxConcurrencyPerEndpoint: 4 });
    const { database, bus, endpoints, db } = await setUp(settings);
    // The second replica: its own pool on the same schema, its own bus (each replica hears the events, as with Redis).
    const replicaDb = await database.openReplica();
    const second = startReplica(replicaDb, bus, settings);
    cleanups.push(() => second.close());
    const receivers = await Promise.all([receiver(), receiver(), receiver()]);
    for (const r of receivers) r.respond = () => new Promise((resolve) => setTimeout(() => resolve(200), 2));
    for (const r of receivers) await endpoints.create(ada, { url: r.url, eventTypes: ['payment.*'] });
    for (let i = 0; i < 200; i++) await bus.publish('payments', paymentEvent('cus_ada'));
    await until(() => (receivers.every((r) => r.received.length >= 200) ? true : undefined), 'all deliveries', 30_000);
    await until(async () => {
      const pending = await db.selectFrom('webhook_deliveries').select('id').where('status', '!=', 'succeeded').execute();
      return pending.length === 0 ? true : undefined;
    }, 'everything recorded', 10_000);
    for (const r of receivers) {
      expect(r.received).toHaveLength(200);
      expect(new Set(r.received.map((x) => x.id)).size).toBe(200);
      // The per-endpoint cap holds across both replicas.
      expect(r.maxConcurrent).toBeLessThanOrEqual(4);
    }
    const attempts = await db.selectFrom('webhook_attempts').select(['delivery_id', 'worker']).execute();
    expect(attempts).toHaveLength(600);
    expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(600);
    expect(await db.selectFrom('webhook_messages').select('id').execute()).toHaveLength(200);
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const { bus, endpoints } = await setUp();
    const r = await receiver();
    const { endpoint, secret: old } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    const rotated = await endpoints.rotate(endpoint.id, 3600);
    await bus.publish('payments', paymentEvent('cus_ada'));
    const during = await until(() => r.received[0], 'delivery during the rotation');
    const headers = { 'webhook-id': during.id, 'webhook-timestamp': during.timestamp, 'webhook-signature': during.signature };
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(during.body, headers)).not.toThrow();
    expect(() => new Webhook(rotated!.secret).verify(during.body, headers)).not.toThrow();
    await endpoints.rotate(endpoint.id, 0);
    await bus.publish('payments', paymentEvent('cus_ada'));
    const after = await until(() => r.received[1], 'delivery after the rotation');
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(() => new Webhook(old).verify(after.body, { 'webhook-id': after.id, 'webhook-timestamp': after.timestamp, 'webhook-signature': after.signature })).toThrow();
  });

  it('refuses private addresses unless allowed, follows no redirect, and bounds each attempt', async () => {
    const guarded = await setUp(testSettings({ allowPrivate: false, schedule: { delaysMs: [], jitter: 0 } }));
    const r = await receiver();
    const { endpoint } = await guarded.endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    await guarded.bus.publish('payments', paymentEvent('cus_ada'));
    const blocked = await until(async () => (await guarded.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpoint.id).executeTakeFirst()) ?? undefined, 'blocked attempt');
    expect(blocked).toMatchObject({ status_code: null, error: 'blocked_address', succeeded: false });
    expect(r.received).toHaveLength(0);

    const open = await setUp(testSettings({ attemptTimeoutMs: 200, schedule: { delaysMs: [], jitter: 0 } }));
    const redirecting = await receiver();
    redirecting.respond = () => 302;
    const hanging = await receiver();
    let release: () => void = () => {};
    hanging.respond = () => new Promise((resolve) => (release = () => resolve(200)));
    const a = await open.endpoints.create(ada, { url: redirecting.url, eventTypes: ['*'] });
    const b = await open.endpoints.create(ada, { url: hanging.url, eventTypes: ['*'] });
    await open.bus.publish('payments', paymentEvent('cus_ada'));
    const attemptOf = (id: string) => async () => (await open.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', id).executeTakeFirst()) ?? undefined;
    expect(await until(attemptOf(a.endpoint.id), 'redirect attempt')).toMatchObject({ status_code: 302, succeeded: false });
    expect(await until(attemptOf(b.endpoint.id), 'timed-out attempt')).toMatchObject({ status_code: null, error: 'timeout', succeeded: false });
    release();
  });

  it('opens an endpoint’s breaker after consecutive failures, then lets one trial through', async () => {
    const { bus, endpoints, db } = await setUp(testSettings({ breakerThreshold: 2, breakerOpenMs: 60_000, schedule: { delaysMs: [0, 0, 0], jitter: 0 } }));
    const r = await receiver();
    r.respond = () => 500;
    const { endpoint } = await endpoints.create(ada, { url: r.url, eventTypes: ['*'] });
    await bus.publish('payments', paymentEvent('cus_ada'));
    const open = await until(async () => {
      const row = await endpoints.get(endpoint.id);
      return row?.breaker_open_until ? row : undefined;
    }, 'breaker open');
    expect(open.consecutive_failures).toBe(2);
    // The delivery waits (pending, due) while the breaker is open: nothing more is sent.
    const received = r.received.length;
    await bus.publish('payments', paymentEvent('cus_ada'));
    await until(async () => ((await db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute()).length === 2 ? true : undefined), 'two pending');
    expect(r.received).toHaveLength(received);
    // Open time over: one trial delivery at a time, which closes it on success.
    r.respond = () => 200;
    await db.updateTable('webhook_endpoints').set({ breaker_open_until: new Date(Date.now() - 1000) }).where('id', '=', endpoint.id).execute();
    await until(async () => ((await db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'succeeded').execute()).length === 2 ? true : undefined), 'both delivered');
    expect(r.maxConcurrent).toBe(1);
    expect((await endpoints.get(endpoint.id))?.consecutive_failures).toBe(0);
  });

  it('counts deliveries and reports the queue in Prometheus figures', async () => {
    const metrics = createMetrics();
    const database = await openTestDatabase(webhookMigrations, 'postgres');
    cleanups.push(() => database.close());
    const bus = newBus();
    cleanups.push(() => bus.close());
    const replica = startReplica(database, bus, testSettings(), metrics);
    cleanups.push(() => replica.close());
    const r = await receiver();
    await endpointsOf(database).create(ada, { url: r.url, eventTypes: ['*'] });
    await bus.publish('payments', paymentEvent('cus_ada'));
    await until(() => r.received[0], 'delivery');
    await until(async () => ((await metrics.registry.metrics()).includes('fgw_webhook_deliveries_total{result="succeeded"} 1') ? true : undefined), 'the counter');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/fgw_webhook_queue_depth 0/);
    expect(text).toMatch(/fgw_webhook_oldest_pending_seconds 0/);
    expect(text).toMatch(/fgw_webhook_delivery_duration_seconds_count 1/);
  });
});

describe.each([
  { engine: 'postgres' as const, skip: !hasPostgres },
  { engine: 'pglite' as const, skip: false },
])('outgoing webhooks migration webhooks-0003-schedule-offset on $engine', ({ engine, skip }) => {
  it.skipIf(skip)('renumbers the logs of deliveries redelivered before it and counts on from them, keeping their place in the schedule', async () => {
    const { ['webhooks-0003-schedule-offset']: added, ...before } = webhookMigrations;
    expect(added).toBeDefined();
    const database = await openTestDatabase(before, engine);
    cleanups.push(() => database.close());
    const db = database.db.withTables<WebhookTables>();
    const { endpoint } = await endpointsOf(database).create(ada, { url: 'https://example.com/hooks', eventTypes: ['*'] });
    const ids = ['retried', 'redelivered', 'plain'];
    await db.insertInto('webhook_messages').values(ids.map((id) => ({ id: `msg_${id}`, event_type: 'payment.succeeded', payload: '{}', event: null, occurred_at: new Date() }))).execute();
    // Each failed three times (attempts 1-3), then was redelivered, which set its count back to 0; `retried`
    // has been tried once since. `plain` was never redelivered: two attempts so far.
    const counts: Record<string, number> = { retried: 1, redelivered: 0, plain: 2 };
    await db
      .insertInto('webhook_deliveries')
      .values(ids.map((id) => ({ id: `dlv_${id}`, endpoint_id: endpoint.id, message_id: `msg_${id}`, status: 'pending' as const, attempt_count: counts[id]!, next_attempt_at: new Date() })))
      .execute();
    const logged: [string, number][] = [['retried', 1], ['redelivered', 1], ['plain', 1], ['retried', 2], ['redelivered', 2], ['plain', 2], ['retried', 3], ['redelivered', 3], ['retried', 1]];
    for (const [id, attempt] of logged) {
      await db.insertInto('webhook_attempts').values({ delivery_id: `dlv_${id}`, endpoint_id: endpoint.id, attempt, worker: 'w', started_at: new Date(), duration_ms: 1, status_code: 500, error: null, succeeded: false }).execute();
    }

    expect(await migrateToLatest(database.db, webhookMigrations, database.schema)).toEqual(['webhooks-0003-schedule-offset']);
    const logOf = async (id: string) => (await db.selectFrom('webhook_attempts').select('attempt').where('delivery_id', '=', `dlv_${id}`).orderBy('id').execute()).map((a) => a.attempt);
    const rowOf = (id: string) => db.selectFrom('webhook_deliveries').select(['attempt_count', 'schedule_offset']).where('id', '=', `dlv_${id}`).executeTakeFirstOrThrow();
    expect(await logOf('retried')).toEqual([1, 2, 3, 4]);
    // Four attempts made; the last one the first of the schedule's new run.
    expect(await rowOf('retried')).toEqual({ attempt_count: 4, schedule_offset: 3 });
    expect(await logOf('redelivered')).toEqual([1, 2, 3]);
    expect(await rowOf('redelivered')).toEqual({ attempt_count: 3, schedule_offset: 3 });
    expect(await logOf('plain')).toEqual([1, 2]);
    expect(await rowOf('plain')).toEqual({ attempt_count: 2, schedule_offset: 0 });
  });
});
