/**
 * Outgoing webhooks under failure: 10,000 events to 10 endpoints, 3 of them failing 30 % of attempts and 1
 * refusing connections for a while, delivered by one replica, then by two on one database. Counts what the
 * receivers got (lost, unsigned, duplicates) and the throughput on this machine. `npm run bench:webhooks`
 * (Postgres at TEST_DATABASE_URL or 127.0.0.1:5432; EVENTS=… DOWN_MS=… to vary).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createMemoryEventBus } from '../kit/events/memory-event-bus.ts';
import { createLogger } from '../kit/logger.ts';
import { defaultWebhooksSettings } from '../subgraphs/webhooks/config.ts';
import { scaledSchedule } from '../subgraphs/webhooks/schedule.ts';
import { createEndpointStore } from '../subgraphs/webhooks/endpoints.ts';
import { createWebhooksSubgraph } from '../subgraphs/webhooks/index.ts';
import { webhookMigrations, type WebhookTables } from '../subgraphs/webhooks/tables.ts';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../kit/database/open-database.ts';
import { postgresAvailable, POSTGRES_URL } from '../test/support/database.ts';

const EVENTS = Number(process.env['EVENTS'] ?? 10_000);
const ENDPOINTS = 10;
const FLAKY = 3;
const FLAKY_RATE = 0.3;
const DOWN_MS = Number(process.env['DOWN_MS'] ?? 5_000);
const POOL = Number(process.env['POOL'] ?? 10);

interface ReceiverState {
  seen: Map<string, number>;
  unsigned: number;
  secret: string;
}

interface Receiver {
  url: string;
  server: Server;
  port: number;
  state: ReceiverState;
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function receiverServer(receiver: ReceiverState, failRate: number): Server {
  return createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h] ?? '')]));
    try {
      new Webhook(receiver.secret).verify(Buffer.concat(chunks), headers);
    } catch {
      receiver.unsigned++;
      response.writeHead(400).end();
      return;
    }
    if (Math.random() < failRate) {
      response.writeHead(500).end();
      return;
    }
    const id = headers['webhook-id']!;
    receiver.seen.set(id, (receiver.seen.get(id) ?? 0) + 1);
    response.writeHead(204).end();
  });
}

async function run(replicas: 1 | 2) {
  // A schema of its own, dropped at the end; a production-sized pool per replica (commits are the cost).
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const open = () => openDatabase({ url: POSTGRES_URL, schema, migrations: webhookMigrations, poolSize: POOL });
  const database = await open();
  const bus = createMemoryEventBus();
  const settings = defaultWebhooksSettings({
    allowPrivate: true,
    pollIntervalMs: 100,
    attemptTimeoutMs: 2_000,
    workerConcurrency: 64,
    maxConcurrencyPerEndpoint: 8,
    // The production schedule (14 attempts over about three days) compressed 1:10,000: about 26 s in all.
    schedule: scaledSchedule(0.0001),
    breakerThreshold: 10,
    breakerOpenMs: 500,
  });
  const logger = createLogger({ level: 'silent', name: 'bench' });
  const handles = [database, ...(replicas === 2 ? [await open()] : [])];
  const store = createEndpointStore(database.db.withTables<WebhookTables>());
  const receivers: Receiver[] = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const state: ReceiverState = { seen: new Map<string, number>(), unsigned: 0, secret: '' };
    const server = receiverServer(state, i < FLAKY ? FLAKY_RATE : 0);
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/hooks/${i}`;
    const { secret } = await store.create({ subject: 'bench', scopes: ['admin'] }, { url, eventTypes: ['payment.*'] });
    state.secret = secret;
    receivers.push({ url, server, port, state });
  }
  // The last endpoint is down (connection refused) for DOWN_MS from the start.
  const down = receivers[ENDPOINTS - 1]!;
  await new Promise<void>((resolve) => down.server.close(() => resolve()));
  const subgraphs = handles.map((handle) => createWebhooksSubgraph({ settings, database: handle, eventBus: bus, logger }));
  const started = performance.now();
  const recovery = setTimeout(() => {
    down.server = receiverServer(down.state, 0);
    void listen(down.server, down.port);
  }, DOWN_MS);
  for (let i = 0; i < EVENTS; i++) {
    await bus.publish('payments', { id: `evt_bench_${replicas}_${i}`, provider: 'stripe', type: 'payment.succeeded', occurredAt: new Date().toISOString(), keys: { customerId: `cus_${i % 100}`, paymentIntentId: `pi_${i}` } });
  }
  await Promise.all(subgraphs.map((s) => s.feed.flush()));
  const recorded = performance.now();
  const db = database.db.withTables<WebhookTables>();
  for (;;) {
    // Done when nothing is pending or in flight (a delivery whose whole schedule failed counts as `exhausted`).
    const left = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'delivering']).executeTakeFirstOrThrow();
    if (Number(left.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  clearTimeout(recovery);
  const attempts = await db.selectFrom('webhook_attempts').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('delivery_id').distinct().as('deliveries')]).executeTakeFirstOrThrow();
  const perWorker = await db.selectFrom('webhook_attempts').select(['worker', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('worker').execute();
  const exhausted = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
  const lost = receivers.reduce((sum, r) => sum + (EVENTS - r.state.seen.size), 0);
  const duplicates = receivers.reduce((sum, r) => sum + [...r.state.seen.values()].reduce((s, n) => s + n - 1, 0), 0);
  const unsigned = receivers.reduce((sum, r) => sum + r.state.unsigned, 0);
  await Promise.all(subgraphs.map((s) => s.close()));
  await Promise.all(receivers.map((r) => new Promise<void>((resolve) => (r.server.listening ? r.server.close(() => resolve()) : resolve()))));
  await bus.close();
  await Promise.all(handles.map((h) => h.close()));
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
  return {
    replicas,
    events: EVENTS,
    deliveries: EVENTS * ENDPOINTS,
    lost,
    unsigned,
    duplicates,
    exhausted: Number(exhausted.n),
    attempts: Number(attempts.n),
    attemptsPerWorker: perWorker.map((w) => Number(w.n)),
    recordedSeconds: +((recorded - started) / 1000).toFixed(2),
    seconds: +seconds.toFixed(2),
    eventsPerSecond: Math.round(EVENTS / seconds),
    deliveriesPerSecond: Math.round((EVENTS * ENDPOINTS) / seconds),
  };
}

if (!(await postgresAvailable())) {
  process.stderr.write('Postgres is needed (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)\n');
  process.exit(1);
}
process.stdout.write(`${EVENTS} events × ${ENDPOINTS} endpoints; ${FLAKY} endpoints fail ${FLAKY_RATE * 100} % of attempts; 1 refuses connections for ${DOWN_MS} ms\n`);
for (const replicas of [1, 2] as const) {
  const result = await run(replicas);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
