/**
 * One chaos run: a separate stack (gateway CLI, one process per subgraph, a private Redis), the README's
 * viewer query under each fault in turn, and per fault what was sent, answered, in time, complete,
 * partial or wrong, the upstream calls, and how long the stack took to answer completely again.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { VIEWER_QUERY, type GraphQLAnswer } from './answers.ts';
import { FAULTS, takeUpstreamCalls, type Fault, type FaultTarget } from './faults.ts';
import { sendOperations, type LoadResult } from './load.ts';
import { startPrivateRedis } from './private-redis.ts';
import { startSeparateStack } from './separate-stack.ts';

/** Short bounds, so that a run takes a minute: every bound the faults exercise is one of these. */
export const CHAOS_BOUNDS = {
  PROVIDER_TIMEOUT_MS: 1_000,
  GATEWAY_SUBGRAPH_TIMEOUT_MS: 2_000,
  GATEWAY_REQUEST_TIMEOUT_MS: 3_000,
  BREAKER_HALF_OPEN_MS: 1_000,
  GATEWAY_SUBGRAPH_BREAKER_HALF_OPEN_MS: 1_000,
} as const;

export interface ChaosOptions {
  operations: number;
  concurrency: number;
  faults?: readonly Fault[];
  onRow?: (row: ChaosRow) => void;
}

export interface ChaosRow extends LoadResult {
  fault: string;
  promise: string;
  upstreamCalls: Record<string, number>;
  /** From clearing the fault to the first complete answer; null when it did not recover (or is not meant to). */
  recoveryMs: number | null;
}

const RECOVERY_LIMIT_MS = 20_000;

export async function runChaos({ operations, concurrency, faults = FAULTS, onRow }: ChaosOptions): Promise<ChaosRow[]> {
  const jwtSecret = randomBytes(32).toString('hex');
  const redis = await startPrivateRedis();
  let stack: FaultTarget['stack'] | undefined;
  try {
    stack = await startSeparateStack({
      env: {
        NODE_ENV: 'development',
        LOG_LEVEL: 'info', // the ready lines are info; the rest is drained
        SUBGRAPH_SECRET: randomBytes(32).toString('hex'),
        JWT_SECRET: jwtSecret,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `chaos-${process.pid}`,
        // Every operation reaches the providers: nothing is answered from cache or served stale.
        CACHE_TTL_SCALE: '0.00001',
        CACHE_STALE_SECONDS: '0',
        RATE_LIMIT_PER_SECOND: '0',
        // Chaos is about faults, not quota: X's Pro tier (Basic allows 10 timelines per 15 minutes), and
        // its windows start afresh for every fault (below).
        EMULATOR_X_TIER: 'pro',
        ...Object.fromEntries(Object.entries(CHAOS_BOUNDS).map(([name, value]) => [name, String(value)])),
      },
    });
    const target: FaultTarget = { stack, redis };
    const headers = { authorization: `Bearer ${await adaToken(jwtSecret)}` };
    const ask = () => askOnce(target.stack.gatewayUrl, headers);
    const first = await ask();
    if (!first.data?.viewer || first.errors) throw new Error(`the stack does not answer completely before any fault: ${JSON.stringify(first)}`);
    const baseline = first.data.viewer;
    await takeUpstreamCalls(stack);

    const rows: ChaosRow[] = [];
    for (const fault of faults) {
      await resetXWindows(stack);
      await fault.apply(target);
      const load = await sendOperations({
        url: stack.gatewayUrl,
        query: VIEWER_QUERY,
        headers,
        operations,
        concurrency,
        deadlineMs: CHAOS_BOUNDS.GATEWAY_REQUEST_TIMEOUT_MS + 500,
        giveUpMs: CHAOS_BOUNDS.GATEWAY_REQUEST_TIMEOUT_MS + 10_000,
        baseline,
      });
      await fault.clear(target);
      const upstreamCalls = await takeUpstreamCalls(stack);
      const recoveryMs = fault.recovers ? await timeToComplete(ask) : null;
      const row: ChaosRow = { fault: fault.name, promise: fault.promise, ...load, upstreamCalls, recoveryMs };
      rows.push(row);
      onRow?.(row);
      await takeUpstreamCalls(stack);
    }
    return rows;
  } finally {
    await stack?.close();
    await redis.close();
  }
}

/** Every X rate-limit window of the emulator back to full, so no fault's row runs out of quota. */
async function resetXWindows(stack: FaultTarget['stack']): Promise<void> {
  const x = stack.subgraphs.get('twitter');
  if (!x?.emulatorUrl) return;
  const response = await fetch(new URL('/_emulator/rate-limits', x.emulatorUrl), { method: 'DELETE' });
  if (!response.ok) throw new Error(`the X emulator did not reset its rate limits: ${response.status}`);
}

async function adaToken(secret: string): Promise<string> {
  const ada = seedCustomers[0]!;
  return new SignJWT({
    scope: 'payments:read social:read storage:read',
    customer: ada.id,
    github: ada.githubLogin,
    twitter: ada.twitterUsername,
    storage_prefix: `customers/${ada.id}/`,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ada')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

async function askOnce(url: string, headers: Record<string, string>): Promise<GraphQLAnswer & { data?: { viewer?: Record<string, unknown> | null } | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: VIEWER_QUERY }),
    signal: AbortSignal.timeout(CHAOS_BOUNDS.GATEWAY_REQUEST_TIMEOUT_MS + 10_000),
  });
  return (await response.json()) as GraphQLAnswer;
}

/** Asks until an answer has no error (breakers half-open after BREAKER_HALF_OPEN_MS, Redis reconnects). */
async function timeToComplete(ask: () => Promise<GraphQLAnswer>): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < RECOVERY_LIMIT_MS) {
    const answer = await ask().catch(() => undefined);
    if (answer?.data?.viewer && !answer.errors) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}
