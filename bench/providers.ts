/**
 * `npm run bench:providers`: the cross-provider query (25 customers with their GitHub user and
 * repositories and their X account and latest posts) against the emulators, each provider call taking
 * 30 ms (EMULATOR_FAULTS latency; each emulator runs in a process of its own), cold and warm. Prints
 * upstream calls per query against the minimum, latency against the critical path of dependent provider
 * calls, the cold query stage by stage (from the SDKs' HTTP requests, beside the same stages of the
 * providers-alone chain: what is the providers' and what is ours), the cache hit ratio, and the gateway's
 * overhead on a fully cached answer: with the provider caches warm (every subgraph still runs), and with
 * the gateway's response cache on (none does). The queries come from a client in a process of its own
 * (bench/client-process.ts), as the emulators run in theirs. Cold latency is measured on the wire (the
 * request's head written → the answer's last byte read), and printed beside the same with the client's own
 * work (building the request, parsing the answer). Figures only: nothing is asserted.
 */
import './production-mode.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { startApp, type RunningApp } from '../app/start-app.ts';
import { startReadyProcess, stopProcess } from './ready-process.ts';
import { coldQueryStages, traceProviderCalls } from './provider-call-trace.ts';
import { fromEpoch, startClientProcess } from './client-process.ts';
import { secondAccountsOfLinkedCustomers, seedCustomers } from '../emulators/seed/customers.ts';
import { createLogger } from '../kit/logger.ts';

const LATENCY_MS = Number(process.env['BENCH_PROVIDER_LATENCY_MS'] ?? 30);
const COLD_SAMPLES = Number(process.env['BENCH_COLD_SAMPLES'] ?? 20);
/**
 * Cold queries (and providers-alone chains) run first and not measured: "cold" is about the caches, and a
 * running gateway has long compiled its code (a p50 over the first queries of a fresh process measures V8's
 * tiers as much as the gateway).
 */
const COLD_WARMUP = Number(process.env['BENCH_COLD_WARMUP'] ?? 50);
const WARM_SAMPLES = Number(process.env['BENCH_WARM_SAMPLES'] ?? 500);
const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const PROVIDERS = ['stripe', 'github', 'twitter'];
/** Every emulator the app would otherwise start itself (S3 too, though the query does not reach it). */
const EMULATED = ['s3', ...PROVIDERS];

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

/** When a query (or chain of calls) started and ended, on this process's `performance.now()` clock. */
interface Timed {
  startedAt: number;
  answeredAt: number;
  /**
   * A query's request on the wire: its head written, its answer's last byte read (the client's own work of
   * building the request and parsing the answer left out, as load generators measure latency).
   */
  onWire?: { startedAt: number; answeredAt: number };
}

const timed = async (run: () => Promise<unknown>): Promise<Timed> => {
  const startedAt = performance.now();
  await run();
  return { startedAt, answeredAt: performance.now() };
};

interface BenchApp {
  app: RunningApp;
  /** Each emulator's URL, by provider: they run in a process of their own (bench/provider-emulators.ts). */
  emulatorUrls: Record<string, string>;
  /** The variables that point each provider's subgraph at its emulator (base URL and keys). */
  emulatorEnv: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Each emulator in a child process of its own (real providers' work never runs on the gateway's thread,
 * nor on each other's: GitHub's GraphQL answer must not hold up X's), the app here.
 */
async function startEmulators(): Promise<{ ready: Record<string, { url: string; env: Record<string, string> }>; stop(): Promise<void> }> {
  const started = await Promise.allSettled(
    EMULATED.map((name) =>
      startReadyProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('provider-emulators.ts', import.meta.url)), name], {
        EMULATOR_FAULTS: JSON.stringify({ seed: 1, latencyMs: LATENCY_MS }),
        // A benchmark of call counts and latency, not of quota: X's Pro tier (Basic allows 10 timelines per 15 minutes).
        EMULATOR_X_TIER: 'pro',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      }),
    ),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(running.map(({ child }) => stopProcess(child)));
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { ready: Object.assign({}, ...running.map(({ ready }) => JSON.parse(ready) as Record<string, { url: string; env: Record<string, string> }>)), stop };
}

/**
 * The critical path's provider calls alone, made directly from this process one stage after another as
 * the query needs them (the customers; the X users; their timelines, 8 at a time, as the X subgraph
 * bounds them; GitHub runs beside the X lookup, off the path): the floor with this machine's HTTP and
 * timers included, which the nominal `LATENCY_MS × stages` leaves out.
 */
async function providersAlone({ emulatorEnv }: BenchApp, usernames: readonly string[]): Promise<number> {
  const stripe = emulatorEnv['stripe']!;
  const x = emulatorEnv['twitter']!;
  const get = async (url: string, key: string) => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const started = performance.now();
  await get(`${stripe['STRIPE_API_BASE']}/v1/customers?limit=25`, stripe['STRIPE_SECRET_KEY']!);
  const users = (await get(`${x['TWITTER_API_BASE']}/2/users/by?usernames=${usernames.join(',')}`, x['TWITTER_BEARER_TOKEN']!)) as { data: { id: string }[] };
  const queue = [...users.data];
  const worker = async () => {
    for (let user = queue.shift(); user; user = queue.shift()) await get(`${x['TWITTER_API_BASE']}/2/users/${user.id}/tweets?max_results=5`, x['TWITTER_BEARER_TOKEN']!);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return performance.now() - started;
}

async function start(extra: Record<string, string>): Promise<BenchApp> {
  const emulators = await startEmulators();
  try {
    const app = await startApp({
      env: {
        // As deployed: production mode (the app's own checks; the libraries' is set by production-mode.ts).
        NODE_ENV: 'production',
        SUBGRAPH_SECRET: 'bench-subgraph-secret-of-at-least-32-characters',
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_DIR: 'memory://',
        JWT_SECRET,
        RATE_LIMIT_PER_SECOND: '0',
        // Production requires a key for users' provider tokens; this run connects no accounts.
        CONNECTIONS_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        // The providers' variables, pointing at the emulators' process: to this app they are remote services.
        ...Object.assign({}, ...Object.values(emulators.ready).map((e) => e.env)),
        ...extra,
      },
      logger: createLogger({ level: 'silent', name: 'bench' }),
    });
    return {
      app,
      emulatorUrls: Object.fromEntries(Object.entries(emulators.ready).map(([name, e]) => [name, e.url])),
      emulatorEnv: Object.fromEntries(Object.entries(emulators.ready).map(([name, e]) => [name, e.env])),
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
  // Timed queries go through a client in a process of its own; the mutations that seed the run do not.
  const client = await startClientProcess();
  const ask = async ({ app }: BenchApp, query = QUERY, variables?: Record<string, unknown>): Promise<Timed> => {
    const answer = await client.ask({ url: app.gateway.url, headers, body: JSON.stringify({ query, variables }) });
    if (answer.errors || answer.status !== 200) throw new Error(`the query failed (${answer.status}): ${answer.errors ?? ''}`);
    if (answer.cached) fromResponseCache++;
    return {
      startedAt: fromEpoch(answer.sentAt),
      answeredAt: fromEpoch(answer.answeredAt),
      onWire: { startedAt: fromEpoch(answer.onWire.sentAt), answeredAt: fromEpoch(answer.onWire.answeredAt) },
    };
  };
  const took = async (query: Promise<Timed>) => {
    const { startedAt, answeredAt } = await query;
    return answeredAt - startedAt;
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
  // Counts, and X's rate-limit windows: even the Pro tier's would run out over a long run (BENCH_COLD_SAMPLES).
  const reset = ({ emulatorUrls }: BenchApp) =>
    Promise.all([
      ...PROVIDERS.map((p) => fetch(`${emulatorUrls[p]!}/_emulator/requests`, { method: 'DELETE' })),
      fetch(`${emulatorUrls['twitter']!}/_emulator/rate-limits`, { method: 'DELETE' }),
    ]);
  // 20 seeded customers and 5 more linked to accounts already seen: 25, with repeats to de-duplicate.
  const addSecondAccounts = async (app: BenchApp) => {
    for (const input of secondAccountsOfLinkedCustomers()) {
      await ask(app, 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', { input: { ...input, idempotencyKey: randomUUID() } });
    }
  };
  const xUsernames = [...new Set(seedCustomers.flatMap((c) => (c.twitterUsername ? [c.twitterUsername] : [])))];
  const distinctX = xUsernames.length;
  const minimum = { stripe: 1, github: 1, twitter: 1 + distinctX };
  // Dependent calls: customers list → (GitHub users ∥ X users lookup) → X timelines (8 at a time).
  const criticalPath = LATENCY_MS * (2 + Math.ceil(distinctX / 8));

  // Cold: every entry has expired (TTL scaled to ~0) before each query, so each answer is fetched anew.
  // Once with the subgraphs called in process (npm start's default), once over loopback HTTP; each
  // query alternates with the providers-alone chain, so both see the machine in the same state.
  const coldRun = async (transport: 'in-process' | 'http') => {
    const cold = await start({ CACHE_TTL_SCALE: '0.00001', SUBGRAPH_TRANSPORT: transport });
    let calls: Record<string, number> = {};
    // On the wire, and with the client's own work (ours) or the chain's own fetch building and parsing (alone).
    const times = { onWire: [] as number[], withClient: [] as number[] };
    const floors = { onWire: [] as number[], withClient: [] as number[] };
    // Each measured query's stages, and the same stages of the providers-alone chain beside it, on the wire.
    const stages: Record<string, number>[] = [];
    const floorStages: Record<string, number>[] = [];
    const trace = traceProviderCalls(Object.values(cold.emulatorUrls));
    const traced = async (run: () => Promise<Timed>, into: Record<string, number>[], durations: typeof times) => {
      trace.start();
      const { startedAt, answeredAt, onWire } = await run();
      const calls = trace.stop();
      // The chain alone is on the wire from its first request to its last answer.
      const wire = onWire ?? { startedAt: Math.min(...calls.map((call) => call.startedAt)), answeredAt: Math.max(...calls.map((call) => call.answeredAt ?? NaN)) };
      const stage = coldQueryStages(calls, wire.startedAt, wire.answeredAt);
      if (stage) into.push(stage);
      durations.onWire.push(wire.answeredAt - wire.startedAt);
      durations.withClient.push(answeredAt - startedAt);
    };
    try {
      await addSecondAccounts(cold);
      // Warms Node and the SDKs' connections, never the cache (every entry expires at once).
      for (let i = 0; i < COLD_WARMUP; i++) {
        await reset(cold);
        await ask(cold);
        await providersAlone(cold, xUsernames);
      }
      for (let i = 0; i < COLD_SAMPLES; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await traced(() => timed(() => providersAlone(cold, xUsernames)), floorStages, floors);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await reset(cold);
        await traced(() => ask(cold), stages, times);
        calls = await counts(cold);
      }
    } finally {
      trace.close();
      await cold.close();
    }
    return { calls, times, floors, stages, floorStages };
  };
  const inProcess = await coldRun('in-process');
  const overHttp = await coldRun('http');
  const coldCalls = inProcess.calls;

  const warmRun = async (transport: 'in-process' | 'http') => {
    const warm = await start({ SUBGRAPH_TRANSPORT: transport });
    const times: number[] = [];
    try {
      await addSecondAccounts(warm);
      await ask(warm);
      await reset(warm);
      for (let i = 0; i < WARM_SAMPLES; i++) times.push(await took(ask(warm)));
      const calls = await counts(warm);
      const metrics = await (await fetch(warm.app.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
      const sum = (result: string) =>
        [...metrics.matchAll(new RegExp(`fgw_cache_lookups_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'g'))].reduce((total, m) => total + Number(m[1]), 0);
      return { times, calls, hitRatio: sum('hit') / (sum('hit') + sum('miss')) };
    } finally {
      await warm.close();
    }
  };
  const { times: warmTimes, calls: warmCalls, hitRatio } = await warmRun('in-process');
  const warmOverHttp = await warmRun('http');

  // The same answers with the gateway's response cache on: a repeated query reaches no subgraph at all.
  const answered = await start({ RESPONSE_CACHE_TTL_SECONDS: '60' });
  const answeredTimes: number[] = [];
  let answeredCalls: Record<string, number> = {};
  try {
    await addSecondAccounts(answered);
    await ask(answered);
    await reset(answered);
    fromResponseCache = 0;
    for (let i = 0; i < WARM_SAMPLES; i++) answeredTimes.push(await took(ask(answered)));
    answeredCalls = await counts(answered);
  } finally {
    await answered.close();
    await client.close();
  }

  const line = (label: string, value: string) => console.log(`${label.padEnd(34)}${value}`);
  line('provider latency (emulated)', `${LATENCY_MS} ms per call`);
  line('query', `25 customers, GitHub user + 5 repos, X user + 5 posts (${distinctX} distinct X users)`);
  line('upstream calls, cold query', `${JSON.stringify(coldCalls)}; minimum ${JSON.stringify(minimum)}`);
  line('upstream calls, warm (all queries)', JSON.stringify(warmCalls));
  const p50 = (values: number[]) => percentile(values, 50);
  const above = (value: number, floor: number) => `${((value / floor - 1) * 100).toFixed(0)}%`;
  const floor = p50(inProcess.floors.onWire);
  const ours = p50(inProcess.times.onWire);
  const oursOverHttp = p50(overHttp.times.onWire);
  line('cold queries', `${COLD_SAMPLES} measured per transport, each after a providers-alone chain, following ${COLD_WARMUP} unmeasured (BENCH_COLD_SAMPLES, BENCH_COLD_WARMUP)`);
  line('cold latency, in process', `p50 ${ours.toFixed(1)} ms, p99 ${percentile(inProcess.times.onWire, 99).toFixed(1)} ms on the wire (subgraphs called in process, as npm start does); with the client's own work ${p50(inProcess.times.withClient).toFixed(1)} ms`);
  line('cold latency, over HTTP', `p50 ${oursOverHttp.toFixed(1)} ms, p99 ${percentile(overHttp.times.onWire, 99).toFixed(1)} ms on the wire (SUBGRAPH_TRANSPORT=http); with the client's own work ${p50(overHttp.times.withClient).toFixed(1)} ms`);
  line('critical path, nominal', `${criticalPath} ms (${2 + Math.ceil(distinctX / 8)} dependent calls × ${LATENCY_MS} ms); cold p50 ${above(ours, criticalPath)} above it in process, ${above(oursOverHttp, criticalPath)} over HTTP (with the client's own work ${above(p50(inProcess.times.withClient), criticalPath)} and ${above(p50(overHttp.times.withClient), criticalPath)})`);
  line('critical path, providers alone', `p50 ${floor.toFixed(1)} ms on the wire, ${p50(inProcess.floors.withClient).toFixed(1)} ms with the chain's own fetch and parsing (the same calls made directly; ${p50(overHttp.floors.onWire).toFixed(1)} ms beside the HTTP run); cold p50 ${above(ours, floor)} above it in process, ${above(oursOverHttp, p50(overHttp.floors.onWire))} over HTTP`);
  const stageTable = (run: typeof inProcess) => {
    for (const stage of Object.keys(run.stages[0] ?? {})) {
      const ours = p50(run.stages.map((s) => s[stage]!));
      const alone = p50(run.floorStages.map((s) => s[stage]!));
      console.log(`  ${stage.padEnd(56)}${ours.toFixed(1).padStart(7)} ms${alone.toFixed(1).padStart(9)} ms`);
    }
  };
  console.log(`cold query by stage on the wire, p50 of each (${inProcess.stages.length} traced)  in process  providers alone`);
  stageTable(inProcess);
  console.log(`the same over HTTP (${overHttp.stages.length} traced)                               over HTTP  providers alone`);
  stageTable(overHttp);
  line('cache hit ratio, warm', `${(hitRatio * 100).toFixed(1)}% of lookups`);
  line('answer, provider caches warm', `p50 ${percentile(warmTimes, 50).toFixed(2)} ms, p99 ${percentile(warmTimes, 99).toFixed(2)} ms (${WARM_SAMPLES} sequential requests; every subgraph runs, in process)`);
  line('  the same over HTTP', `p50 ${percentile(warmOverHttp.times, 50).toFixed(2)} ms, p99 ${percentile(warmOverHttp.times, 99).toFixed(2)} ms (SUBGRAPH_TRANSPORT=http)`);
  line('answer, response cache on', `p50 ${percentile(answeredTimes, 50).toFixed(2)} ms, p99 ${percentile(answeredTimes, 99).toFixed(2)} ms (RESPONSE_CACHE_TTL_SECONDS=60; ${fromResponseCache} of ${WARM_SAMPLES} from it; upstream calls ${JSON.stringify(answeredCalls)})`);
}

await main();
