/**
 * `npm run bench:providers`: the cross-provider query (25 customers with their GitHub user and
 * repositories and their X account and latest posts) against the emulators, each provider call taking
 * 30 ms (EMULATOR_FAULTS latency; the emulators run in a process of their own), cold and warm. Prints
 * upstream calls per query against the minimum, latency against the critical path of dependent provider
 * calls, the cache hit ratio, and the gateway's overhead on a fully cached answer: with the provider
 * caches warm (every subgraph still runs), and with the gateway's response cache on (none does). Figures
 * only: nothing is asserted.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { startApp, type RunningApp } from '../app/start-app.ts';
import { startReadyProcess, stopProcess } from './ready-process.ts';
import { secondAccountsOfLinkedCustomers, seedCustomers } from '../emulators/seed/customers.ts';
import { createLogger } from '../kit/logger.ts';

const LATENCY_MS = Number(process.env['BENCH_PROVIDER_LATENCY_MS'] ?? 30);
const COLD_SAMPLES = Number(process.env['BENCH_COLD_SAMPLES'] ?? 10);
const WARM_SAMPLES = Number(process.env['BENCH_WARM_SAMPLES'] ?? 500);
const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const PROVIDERS = ['stripe', 'github', 'twitter'];

const QUERY = /* GraphQL */ `
  query Joined {
    customers(first: 25) {
      nodes {
        id
        email
        github { login name repositories(first: 5) { name stars } }
        twitter { username name tweets(first: 5) { nodes { text } } }
      }
    }
  }
`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface BenchApp {
  app: RunningApp;
  /** Each emulator's URL, by provider: they run in a process of their own (bench/provider-emulators.ts). */
  emulatorUrls: Record<string, string>;
  close(): Promise<void>;
}

/** The emulators in a child process (real providers' work never runs on the gateway's thread), the app here. */
async function startEmulators(): Promise<{ ready: Record<string, { url: string; env: Record<string, string> }>; stop(): Promise<void> }> {
  const running = await startReadyProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('provider-emulators.ts', import.meta.url))], {
    EMULATOR_FAULTS: JSON.stringify({ seed: 1, latencyMs: LATENCY_MS }),
    // A benchmark of call counts and latency, not of quota: X's Pro tier (Basic allows 10 timelines per 15 minutes).
    EMULATOR_X_TIER: 'pro',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  return { ready: JSON.parse(running.ready) as Record<string, { url: string; env: Record<string, string> }>, stop: () => stopProcess(running.child) };
}

async function start(extra: Record<string, string>): Promise<BenchApp> {
  const emulators = await startEmulators();
  try {
    const app = await startApp({
      env: {
        // As deployed: production mode (graphql-js skips its development-only checks, for one).
        NODE_ENV: 'production',
        SUBGRAPH_SECRET: 'bench-subgraph-secret-of-at-least-32-characters',
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_DIR: 'memory://',
        JWT_SECRET,
        RATE_LIMIT_PER_SECOND: '0',
        // The providers' variables, pointing at the emulators' process: to this app they are remote services.
        ...Object.assign({}, ...Object.values(emulators.ready).map((e) => e.env)),
        ...extra,
      },
      logger: createLogger({ level: 'silent', name: 'bench' }),
    });
    return {
      app,
      emulatorUrls: Object.fromEntries(Object.entries(emulators.ready).map(([name, e]) => [name, e.url])),
      async close() {
        await app.close();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

async function main() {
  const token = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const ask = async ({ app }: BenchApp, query = QUERY, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(app.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`the query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
    if (response.headers.has('age')) fromResponseCache++;
    return performance.now() - started;
  };
  let fromResponseCache = 0;
  const counts = async ({ emulatorUrls }: BenchApp) => {
    const entries = await Promise.all(
      PROVIDERS.map(async (p) => {
        const url = emulatorUrls[p]!;
        const byOperation = (await (await fetch(`${url}/_emulator/requests`)).json()) as Record<string, number>;
        return [p, Object.values(byOperation).reduce((a, b) => a + b, 0)] as const;
      }),
    );
    return Object.fromEntries(entries);
  };
  const reset = ({ emulatorUrls }: BenchApp) => Promise.all(PROVIDERS.map((p) => fetch(`${emulatorUrls[p]!}/_emulator/requests`, { method: 'DELETE' })));
  // 20 seeded customers and 5 more linked to accounts already seen: 25, with repeats to de-duplicate.
  const addSecondAccounts = async (app: BenchApp) => {
    for (const input of secondAccountsOfLinkedCustomers()) {
      await ask(app, 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', { input: { ...input, idempotencyKey: randomUUID() } });
    }
  };
  const distinctX = new Set(seedCustomers.flatMap((c) => (c.twitterUsername ? [c.twitterUsername] : []))).size;
  const minimum = { stripe: 1, github: 1, twitter: 1 + distinctX };
  // Dependent calls: customers list → (GitHub users ∥ X users lookup) → X timelines (8 at a time).
  const criticalPath = LATENCY_MS * (2 + Math.ceil(distinctX / 8));

  // Cold: every entry has expired (TTL scaled to ~0) before each query, so each answer is fetched anew.
  const cold = await start({ CACHE_TTL_SCALE: '0.00001' });
  let coldCalls: Record<string, number> = {};
  const coldTimes: number[] = [];
  try {
    await addSecondAccounts(cold);
    await ask(cold); // first query warms Node and the SDKs' connections, not the cache
    for (let i = 0; i < COLD_SAMPLES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await reset(cold);
      coldTimes.push(await ask(cold));
      coldCalls = await counts(cold);
    }
  } finally {
    await cold.close();
  }

  const warm = await start({});
  const warmTimes: number[] = [];
  let hitRatio = NaN;
  let warmCalls: Record<string, number> = {};
  try {
    await addSecondAccounts(warm);
    await ask(warm);
    await reset(warm);
    for (let i = 0; i < WARM_SAMPLES; i++) warmTimes.push(await ask(warm));
    warmCalls = await counts(warm);
    const metrics = await (await fetch(warm.app.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    const sum = (result: string) =>
      [...metrics.matchAll(new RegExp(`fgw_cache_lookups_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'g'))].reduce((total, m) => total + Number(m[1]), 0);
    hitRatio = sum('hit') / (sum('hit') + sum('miss'));
  } finally {
    await warm.close();
  }

  // The same answers with the gateway's response cache on: a repeated query reaches no subgraph at all.
  const answered = await start({ RESPONSE_CACHE_TTL_SECONDS: '60' });
  const answeredTimes: number[] = [];
  let answeredCalls: Record<string, number> = {};
  try {
    await addSecondAccounts(answered);
    await ask(answered);
    await reset(answered);
    fromResponseCache = 0;
    for (let i = 0; i < WARM_SAMPLES; i++) answeredTimes.push(await ask(answered));
    answeredCalls = await counts(answered);
  } finally {
    await answered.close();
  }

  const line = (label: string, value: string) => console.log(`${label.padEnd(34)}${value}`);
  line('provider latency (emulated)', `${LATENCY_MS} ms per call`);
  line('query', `25 customers, GitHub user + 5 repos, X user + 5 posts (${distinctX} distinct X users)`);
  line('upstream calls, cold query', `${JSON.stringify(coldCalls)}; minimum ${JSON.stringify(minimum)}`);
  line('upstream calls, warm (all queries)', JSON.stringify(warmCalls));
  line('cold latency', `p50 ${percentile(coldTimes, 50).toFixed(1)} ms, p99 ${percentile(coldTimes, 99).toFixed(1)} ms`);
  line('critical path (floor)', `${criticalPath} ms (${2 + Math.ceil(distinctX / 8)} dependent calls); cold p50 is ${((percentile(coldTimes, 50) / criticalPath - 1) * 100).toFixed(0)}% above it`);
  line('cache hit ratio, warm', `${(hitRatio * 100).toFixed(1)}% of lookups`);
  line('answer, provider caches warm', `p50 ${percentile(warmTimes, 50).toFixed(2)} ms, p99 ${percentile(warmTimes, 99).toFixed(2)} ms (${WARM_SAMPLES} sequential requests; every subgraph runs)`);
  line('answer, response cache on', `p50 ${percentile(answeredTimes, 50).toFixed(2)} ms, p99 ${percentile(answeredTimes, 99).toFixed(2)} ms (RESPONSE_CACHE_TTL_SECONDS=60; ${fromResponseCache} of ${WARM_SAMPLES} from it; upstream calls ${JSON.stringify(answeredCalls)})`);
}

await main();
