/**
 * `npm run bench:providers`: the cross-provider query (25 customers with their GitHub user and
 * repositories and their X account and latest posts) against the emulators, each provider call taking
 * 30 ms (EMULATOR_FAULTS latency), cold and warm. Prints upstream calls per query against the minimum,
 * latency against the critical path of dependent provider calls, the cache hit ratio, and the gateway's
 * overhead on a fully cached answer. Figures only: nothing is asserted.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { startApp, type RunningApp } from '../app/start-app.ts';
import { secondAccountsOfLinkedCustomers, seedCustomers } from '../emulators/seed/customers.ts';
import { createLogger } from '../subgraphs/kit/logger.ts';

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

async function start(extra: Record<string, string>): Promise<RunningApp> {
  return startApp({
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      JWT_SECRET,
      RATE_LIMIT_PER_SECOND: '0',
      EMULATOR_FAULTS: JSON.stringify({ seed: 1, latencyMs: LATENCY_MS }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...extra,
    },
    logger: createLogger({ level: 'silent', name: 'bench' }),
  });
}

async function main() {
  const token = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const ask = async (app: RunningApp, query = QUERY, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(app.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`the query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return performance.now() - started;
  };
  const counts = async (app: RunningApp) => {
    const entries = await Promise.all(
      PROVIDERS.map(async (p) => {
        const url = app.emulators.find((e) => e.name === p)!.url;
        const byOperation = (await (await fetch(`${url}/_emulator/requests`)).json()) as Record<string, number>;
        return [p, Object.values(byOperation).reduce((a, b) => a + b, 0)] as const;
      }),
    );
    return Object.fromEntries(entries);
  };
  const reset = (app: RunningApp) => Promise.all(PROVIDERS.map((p) => fetch(`${app.emulators.find((e) => e.name === p)!.url}/_emulator/requests`, { method: 'DELETE' })));
  // 20 seeded customers and 5 more linked to accounts already seen: 25, with repeats to de-duplicate.
  const addSecondAccounts = async (app: RunningApp) => {
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
    const metrics = await (await fetch(warm.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    const sum = (result: string) =>
      [...metrics.matchAll(new RegExp(`fgw_cache_lookups_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'g'))].reduce((total, m) => total + Number(m[1]), 0);
    hitRatio = sum('hit') / (sum('hit') + sum('miss'));
  } finally {
    await warm.close();
  }

  const line = (label: string, value: string) => console.log(`${label.padEnd(34)}${value}`);
  line('provider latency (emulated)', `${LATENCY_MS} ms per call`);
  line('query', `25 customers, GitHub user + 5 repos, X user + 5 posts (${distinctX} distinct X users)`);
  line('upstream calls, cold query', `${JSON.stringify(coldCalls)}; minimum ${JSON.stringify(minimum)}`);
  line('upstream calls, warm (all queries)', JSON.stringify(warmCalls));
  line('cold latency', `p50 ${percentile(coldTimes, 50).toFixed(1)} ms, p99 ${percentile(coldTimes, 99).toFixed(1)} ms`);
  line('critical path (floor)', `${criticalPath} ms (${2 + Math.ceil(distinctX / 8)} dependent calls); cold p50 is ${((percentile(coldTimes, 50) / criticalPath - 1) * 100).toFixed(0)}% above it`);
  line('cache hit ratio, warm', `${(hitRatio * 100).toFixed(1)}% of lookups`);
  line('overhead, fully cached answer', `p50 ${percentile(warmTimes, 50).toFixed(2)} ms, p99 ${percentile(warmTimes, 99).toFixed(2)} ms (${WARM_SAMPLES} sequential requests)`);
}

await main();
