/**
 * The faults of a chaos run, each applied to a running separate stack and then cleared: the emulators'
 * fault profiles (POST /_emulator/faults), a private Redis killed or frozen, a subgraph process frozen or
 * killed.
 */
import type { PrivateRedis } from './private-redis.ts';
import type { SeparateStack } from './separate-stack.ts';

export interface FaultTarget {
  stack: SeparateStack;
  redis: PrivateRedis;
}

export interface Fault {
  readonly name: string;
  /** What the gateway promises under it, for the report. */
  readonly promise: string;
  apply(target: FaultTarget): Promise<void>;
  clear(target: FaultTarget): Promise<void>;
  /** Whether the stack is whole again afterwards (a killed process is not restarted). */
  readonly recovers: boolean;
}

const PROVIDERS = ['stripe', 'github', 'twitter', 's3'] as const;
type ProviderName = (typeof PROVIDERS)[number];

async function setProfile(target: FaultTarget, provider: ProviderName, profile: Record<string, unknown> | undefined): Promise<void> {
  const emulator = target.stack.subgraphs.get(provider)!.emulatorUrl!;
  const response = await fetch(`${emulator}/_emulator/faults`, {
    method: profile ? 'POST' : 'DELETE',
    ...(profile ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) } : {}),
  });
  if (!response.ok) throw new Error(`${provider} emulator refused the fault profile: ${response.status} ${await response.text()}`);
}

const profileFault = (name: string, promise: string, providers: readonly ProviderName[], profile: Record<string, unknown>): Fault => ({
  name,
  promise,
  recovers: true,
  apply: async (target) => {
    for (const provider of providers) await setProfile(target, provider, { seed: 7, ...profile });
  },
  clear: async (target) => {
    for (const provider of providers) await setProfile(target, provider, undefined);
  },
});

const signal = (target: FaultTarget, subgraph: string, name: NodeJS.Signals) => target.stack.subgraphs.get(subgraph)!.child.kill(name);

export const FAULTS: readonly Fault[] = [
  {
    name: 'none',
    promise: 'every answer complete',
    recovers: true,
    apply: async () => {},
    clear: async () => {},
  },
  profileFault('30% 5xx, every provider', 'no HTTP 5xx; reads retried where the SDK does not retry', PROVIDERS, { errorRate: 0.3, errorStatuses: [500, 502, 503] }),
  profileFault('Stripe hangs', 'Stripe part PROVIDER_TIMEOUT within PROVIDER_TIMEOUT_MS, then the breaker answers at once', ['stripe'], { hangRate: 1 }),
  // GitHub's secondary rate limit as GitHub sends it: 403, "secondary rate limit", retry-after, the hourly window not spent.
  profileFault('GitHub rate-limit storm (403 secondary)', 'RATE_LIMITED with retryAfter; no call until retry-after has passed', ['github'], { rateLimitRate: 1, retryAfterSeconds: 2 }),
  profileFault('X down (100% 503)', 'X part PROVIDER_UNAVAILABLE; the breaker opens once failures pass half of the last 10 s of calls', ['twitter'], { errorRate: 1, errorStatuses: [503] }),
  {
    name: 'Redis down (killed)',
    promise: 'caches miss, every answer complete, nothing waits',
    recovers: true,
    apply: (target) => target.redis.kill(),
    clear: (target) => target.redis.restart(),
  },
  {
    name: 'Redis hung (SIGSTOP)',
    promise: 'caches miss after 500 ms at most, then at once',
    recovers: true,
    apply: async (target) => target.redis.freeze(),
    clear: async (target) => target.redis.resume(),
  },
  {
    name: 'GitHub subgraph hung (SIGSTOP)',
    promise: 'GitHub part SUBGRAPH_UNAVAILABLE within GATEWAY_SUBGRAPH_TIMEOUT_MS',
    recovers: true,
    apply: async (target) => void signal(target, 'github', 'SIGSTOP'),
    clear: async (target) => void signal(target, 'github', 'SIGCONT'),
  },
  {
    name: 'S3 subgraph killed',
    promise: 'files part SUBGRAPH_UNAVAILABLE at once',
    recovers: false,
    apply: async (target) => {
      const { child } = target.stack.subgraphs.get('s3')!;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
    clear: async () => {},
  },
];

/** Calls each emulator received since the last reset, by provider; resets the counts. */
export async function takeUpstreamCalls(stack: SeparateStack): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const { name, emulatorUrl, child } of stack.subgraphs.values()) {
    if (!emulatorUrl || child.exitCode !== null || child.signalCode !== null) continue;
    const counts = (await (await fetch(`${emulatorUrl}/_emulator/requests`, { signal: AbortSignal.timeout(5_000) })).json()) as Record<string, number>;
    calls[name] = Object.values(counts).reduce((sum, count) => sum + count, 0);
    await fetch(`${emulatorUrl}/_emulator/requests`, { method: 'DELETE', signal: AbortSignal.timeout(5_000) });
  }
  return calls;
}
