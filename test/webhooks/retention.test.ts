import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../kit/metrics.ts';
import { webhookMigrations, type WebhookTables } from '../../subgraphs/webhooks/tables.ts';
import { openTestDatabase, postgresAvailable } from '../support/database.ts';
import { ada, bob, endpointsOf, newBus, paymentEvent, startReplica, testSettings, until } from './outbox-harness.ts';
import { startReceiver } from './receiver.ts';

const hasPostgres = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DAY_MS = 86_400_000;

describe.each([
  { engine: 'postgres' as const, skip: !hasPostgres },
  { engine: 'pglite' as const, skip: false },
])('outgoing webhooks retention on $engine', ({ engine, skip }) => {
  it.skipIf(skip)('deletes finished messages past retention with their deliveries and attempts, and keeps pending and recent ones', async () => {
    const database = await openTestDatabase(webhookMigrations, engine);
    cleanups.push(() => database.close());
    const bus = newBus();
    cleanups.push(() => bus.close());
    const metrics = createMetrics();
    // A retry far in the future keeps a failed first attempt pending for the whole test.
    const replica = startReplica(database, bus, testSettings({ retentionMs: 30 * DAY_MS, pruneIntervalMs: 3_600_000, schedule: { delaysMs: [3_600_000], jitter: 0 } }), metrics);
    cleanups.push(() => replica.close());
    const db = database.db.withTables<WebhookTables>();
    const endpoints = endpointsOf(database);
    const answering = await startReceiver();
    cleanups.push(() => answering.close());
    const failing = await startReceiver();
    cleanups.push(() => failing.close());
    failing.respond = () => 500;
    await endpoints.create(ada, { url: answering.url, eventTypes: ['payment.*'] });
    await endpoints.create(bob, { url: failing.url, eventTypes: ['payment.*'] });

    const [oldOne, oldTwo, recent] = [paymentEvent('cus_ada'), paymentEvent('cus_ada'), paymentEvent('cus_ada')];
    const oldPending = paymentEvent('cus_bob');
    for (const event of [oldOne, oldTwo, recent, oldPending]) await bus.publish('payments', event);
    const deliveries = await until(async () => {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().execute();
      const settled = rows.filter((row) => row.status === 'succeeded' || (row.status === 'pending' && row.attempt_count === 1));
      return rows.length === 4 && settled.length === 4 ? rows : undefined;
    }, 'three deliveries succeeded and one pending after a failed attempt');
    const messageOf = new Map(deliveries.map((row) => [row.message_id, row]));
    expect([...messageOf.values()].filter((row) => row.status === 'pending')).toHaveLength(1);

    // Three messages recorded 40 days ago: two delivered, one still pending (bob's); one recorded now.
    const messages = await db.selectFrom('webhook_messages').select(['id', 'payload']).execute();
    const idOf = (eventId: string) => messages.find((m) => JSON.parse(m.payload).data.id === eventId)!.id;
    const old = [idOf(oldOne.id), idOf(oldTwo.id), idOf(oldPending.id)];
    await db
      .updateTable('webhook_messages')
      .set({ created_at: sql<Date>`now() - interval '40 days'` })
      .where('id', 'in', old)
      .execute();

    expect(await replica.retention.pruneNow()).toEqual({ messages: 2, deliveries: 2 });

    const left = (await db.selectFrom('webhook_messages').select('id').execute()).map((m) => m.id).sort();
    expect(left).toEqual([idOf(recent.id), idOf(oldPending.id)].sort());
    const leftDeliveries = await db.selectFrom('webhook_deliveries').select(['message_id', 'status']).execute();
    expect(leftDeliveries.map((d) => d.message_id).sort()).toEqual(left);
    // Attempts went with their deliveries: only those of the two kept deliveries remain.
    const attempts = await db.selectFrom('webhook_attempts').innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id').select('webhook_deliveries.message_id').execute();
    expect(new Set(attempts.map((a) => a.message_id))).toEqual(new Set(left));
    const { n } = await db.selectFrom('webhook_attempts').select(db.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(attempts.length);
    expect(attempts.length).toBeGreaterThanOrEqual(2);

    // Nothing more to prune: the old pending message stays until its delivery is finished.
    expect(await replica.retention.pruneNow()).toEqual({ messages: 0, deliveries: 0 });
    expect(await (await metrics.registry.getSingleMetric('fgw_webhook_pruned_messages_total')!.get()).values[0]?.value).toBe(2);
  });
});
