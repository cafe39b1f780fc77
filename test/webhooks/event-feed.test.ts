import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { createMetrics } from '../../kit/metrics.ts';
import { startEventFeed } from '../../subgraphs/webhooks/event-feed.ts';
import { createWebhookMetrics } from '../../subgraphs/webhooks/metrics.ts';
import { createOutbox } from '../../subgraphs/webhooks/outbox.ts';
import { webhookMigrations, type WebhookTables } from '../../subgraphs/webhooks/tables.ts';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.ts';
import { ada, endpointsOf, newBus, paymentEvent, testSettings, until } from './outbox-harness.ts';

const hasPostgres = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The outbox's table taken away and given back: every write to it fails meanwhile, as with the database down. */
const breakOutbox = (database: TestDatabase) => sql`alter table webhook_messages rename to webhook_messages_away`.execute(database.db);
const mendOutbox = (database: TestDatabase) => sql`alter table webhook_messages_away rename to webhook_messages`.execute(database.db);

describe.each([
  { engine: 'postgres' as const, skip: !hasPostgres },
  { engine: 'pglite' as const, skip: false },
])('events for outgoing webhooks while the outbox cannot be written ($engine)', ({ engine, skip }) => {
  const setUp = async (maxUnrecorded?: number) => {
    const database = await openTestDatabase(webhookMigrations, engine);
    cleanups.push(() => database.close());
    const bus = newBus();
    cleanups.push(() => bus.close());
    const registry = createMetrics().registry;
    const db = database.db.withTables<WebhookTables>();
    const endpoints = endpointsOf(database);
    await endpoints.create(ada, { url: 'http://127.0.0.1:9/hooks', eventTypes: ['payment.*'] });
    const feed = startEventFeed({
      eventBus: bus,
      endpoints,
      outbox: createOutbox(db, testSettings()),
      logger: createLogger({ level: 'silent', name: 'test' }),
      onRecorded: () => {},
      metrics: createWebhookMetrics(registry, async () => ({ depth: 0, oldestPendingSeconds: 0 })),
      maxUnrecorded,
      retry: { firstMs: 10, maxMs: 40 },
    });
    let closed = false;
    const close = async () => {
      if (!closed) await feed.close();
      closed = true;
    };
    cleanups.push(close);
    const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
    const recorded = () => db.selectFrom('webhook_deliveries').select('message_id').execute();
    return { database, bus, feed, close, metric, recorded };
  };

  it.skipIf(skip)('holds them and records every one once the database is back, each delivery once', async () => {
    const { database, bus, feed, metric, recorded } = await setUp();
    await breakOutbox(database);
    const events = [paymentEvent('cus_ada'), paymentEvent('cus_ada'), paymentEvent('cus_ada')];
    for (const event of events) await bus.publish('payments', event);
    // Longer than the three attempts the feed used to make before giving up; held all along, none dropped.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(feed.unrecorded()).toBe(3);
    expect(await metric('fgw_webhook_events_unrecorded')).toBe(3);
    await mendOutbox(database);
    await until(async () => ((await recorded()).length === 3 ? true : undefined), 'the three held events recorded');
    await feed.flush();
    expect(feed.unrecorded()).toBe(0);
    expect(await metric('fgw_webhook_events_unrecorded')).toBe(0);
    expect(await metric('fgw_webhook_events_dropped_total')).toBe(0);
    expect(new Set((await recorded()).map((row) => row.message_id)).size).toBe(3);
  });

  it.skipIf(skip)('drops (and counts) what arrives beyond its limit, and does not hold up shutdown', async () => {
    const { database, bus, feed, close, metric, recorded } = await setUp(2);
    await breakOutbox(database);
    for (let i = 0; i < 3; i++) await bus.publish('payments', paymentEvent('cus_ada'));
    expect(feed.unrecorded()).toBe(2);
    expect(await metric('fgw_webhook_events_dropped_total')).toBe(1);
    // Closing while the outbox still fails returns at once, counting the held events as dropped.
    await close();
    expect(await metric('fgw_webhook_events_dropped_total')).toBe(3);
    expect(feed.unrecorded()).toBe(0);
    await mendOutbox(database);
    expect(await recorded()).toEqual([]);
  });

  it.skipIf(skip)('records what it holds when closed while the outbox works', async () => {
    const { bus, close, recorded } = await setUp();
    for (let i = 0; i < 3; i++) await bus.publish('payments', paymentEvent('cus_ada'));
    await close();
    expect(await recorded()).toHaveLength(3);
  });
});
