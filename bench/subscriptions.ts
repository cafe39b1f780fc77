/**
 * `npm run bench:subscriptions`: one gateway (as `npm start` runs it, in a child process) holding 1,000
 * concurrent subscriptions while 10,000 signed Stripe webhooks arrive; prints delivery latency (webhook
 * sent → event received by the client), events lost, and the serving process's peak memory.
 *
 * Shape: 100 customers with 10 subscribed devices each (`paymentEvents(customerId)`), events spread over
 * the customers, so every event reaches 10 subscribers: 100,000 deliveries in all.
 * Options (environment): BENCH_SUBSCRIPTIONS, BENCH_EVENTS, BENCH_CUSTOMERS, BENCH_WEBHOOK_CONCURRENCY.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { SignJWT } from 'jose';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../emulators/dev-secrets.ts';
import { signedTestDelivery } from '../subgraphs/stripe/test-delivery.ts';

const SUBSCRIPTIONS = Number(process.env['BENCH_SUBSCRIPTIONS'] ?? 1000);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000);
const CUSTOMERS = Number(process.env['BENCH_CUSTOMERS'] ?? 100);
const CONCURRENCY = Number(process.env['BENCH_WEBHOOK_CONCURRENCY'] ?? 16);
const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Peak resident memory of a process so far (Linux: VmHWM), in MiB. */
const peakRssMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const port = await freePort();
  // As npm start runs it (package.json).
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', './bin/load-typescript.js', 'bin/start.ts'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'test', JWT_SECRET, RATE_LIMIT_PER_SECOND: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Press Ctrl-C') && resolve());
    child.once('exit', (code) => reject(new Error(`the stack exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const token = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => `cus_BENCH${String(i).padStart(9, '0')}`);

  // Connections: 100 sockets, 10 subscriptions each (a socket per device group keeps the client side cheap).
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  const clients: Client[] = [];
  const perSocket = 10;
  let ready = 0;
  for (let s = 0; s < SUBSCRIPTIONS / perSocket; s++) {
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    clients.push(client);
    for (let i = 0; i < perSocket; i++) {
      const customerId = customers[(s * perSocket + i) % CUSTOMERS]!;
      client.subscribe(
        { query: 'subscription ($c: ID) { paymentEvents(customerId: $c) { id type } }', variables: { c: customerId } },
        {
          next: (result) => {
            const id = (result.data as { paymentEvents?: { id: string } } | undefined)?.paymentEvents?.id;
            const sent = id ? sentAt.get(id) : undefined;
            if (sent !== undefined) latencies.push(performance.now() - sent);
            received++;
          },
          error: (error) => console.error('subscription error', error),
          complete: () => {},
        },
      );
      ready++;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let every subscription reach its subgraph
  const rssBefore = peakRssMiB(child.pid!);

  const started = performance.now();
  let next = 0;
  const send = async () => {
    while (next < EVENTS) {
      const n = next++;
      const customer = customers[n % CUSTOMERS]!;
      const delivery = signedTestDelivery({
        type: 'payment_intent.succeeded',
        secret: STRIPE_EMULATOR_WEBHOOK_SECRET,
        object: { id: `pi_BENCH${n}`, object: 'payment_intent', customer, amount: 100, currency: 'usd', status: 'succeeded' },
      });
      sentAt.set(delivery.eventId, performance.now());
      const response = await fetch(`${base}/webhooks/stripe`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, send));
  const expected = EVENTS * (SUBSCRIPTIONS / CUSTOMERS);
  const deadline = performance.now() + 60_000;
  while (received < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const peak = peakRssMiB(child.pid!);

  console.log(`subscriptions held      ${ready} on ${clients.length} sockets`);
  console.log(`events published        ${EVENTS} signed Stripe webhooks (${CONCURRENCY} at a time)`);
  console.log(`deliveries              ${received} of ${expected} expected; lost ${expected - received}`);
  console.log(`delivery latency        p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
  console.log(`throughput              ${(received / elapsed).toFixed(0)} deliveries/s over ${elapsed.toFixed(1)} s`);
  console.log(`serving process memory  peak RSS ${peak.toFixed(0)} MiB (${rssBefore.toFixed(0)} MiB with the subscriptions open, before events);`);
  console.log('                        one process: gateway, subgraphs and emulators, as `npm start` runs them');

  await Promise.all(clients.map((client) => client.dispose()));
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  if (received !== expected) process.exitCode = 1;
}

await main();
