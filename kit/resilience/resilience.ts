import { setMaxListeners } from 'node:events';
import { inSpan, markFailed, SpanKind } from '../tracing.ts';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

/** How a provider's failure should be treated: `outage` counts against its breaker and may be retried. */
export interface FailureClass {
  kind: 'outage' | 'rate-limited' | 'caller';
  /** The provider's Retry-After (or rate-limit reset), when it gave one. */
  retryAfterMs?: number | undefined;
}

export interface ResilienceSettings {
  /** One call, its retries included (ours, and for S3 and Stripe the SDK's own). */
  timeoutMs: number;
  /** Calls in flight at once, and waiting beyond that; more is refused at once. */
  concurrency: number;
  queue: number;
  /** Failure ratio over `windowMs` that opens the breaker, given at least `minimumRps` calls per second. */
  breakerFailureRatio: number;
  breakerWindowMs: number;
  breakerMinimumRps: number;
  /** How long the breaker stays open before one trial call. */
  breakerHalfOpenAfterMs: number;
  /** Retries of idempotent calls, only for SDKs that do not retry themselves (Octokit, twitter-api-v2). */
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: 10_000,
  concurrency: 32,
  queue: 64,
  breakerFailureRatio: 0.5,
  breakerWindowMs: 10_000,
  breakerMinimumRps: 1,
  breakerHalfOpenAfterMs: 5_000,
  retries: 0,
  retryBaseMs: 100,
  retryMaxMs: 2_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ProviderPolicy {
  readonly provider: string;
  /** The bound of one call (`ResilienceSettings.timeoutMs`). */
  readonly timeoutMs: number;
  /**
   * Runs one provider call under the provider's timeout, breaker and bulkhead, retrying it when
   * `idempotent` and the settings allow (never a write: a retried write could happen twice).
   * `deadlineMs`: what is left of a larger call this one is part of (an SDK's retry), when that is less
   * than the timeout; at 0 or below the call is not made and fails as a timeout.
   */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, options?: { idempotent?: boolean; operation?: string; deadlineMs?: number | undefined }): Promise<T>;
  state(): BreakerState;
  onStateChange(listener: (state: BreakerState) => void): void;
}

/**
 * Backoff that waits what the provider asked for (Retry-After, capped at `maxMs`), otherwise exponential
 * from `baseMs` with full jitter, so that many callers retrying at once spread out.
 */
function providerBackoff(classify: (error: unknown) => FailureClass, baseMs: number, maxMs: number, random: () => number): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const next = (attempt: number) => (context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> => {
    const failure = 'error' in context.result ? classify(context.result.error) : undefined;
    const exponential = Math.min(maxMs, baseMs * 2 ** attempt);
    const duration = failure?.retryAfterMs !== undefined ? Math.min(maxMs, failure.retryAfterMs) : Math.round(random() * exponential);
    return { duration, next: next(attempt + 1) };
  };
  return { next: next(0) };
}

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

export function createProviderPolicy({
  provider,
  settings,
  classify,
  random = Math.random,
  metrics,
}: {
  provider: string;
  settings: ResilienceSettings;
  classify: (error: unknown) => FailureClass;
  random?: () => number;
  /** Counts and times every call (with its outcome) and follows the breaker's state. */
  metrics?: Metrics | undefined;
}): ProviderPolicy {
  const isOutage = (error: Error) => !(error instanceof BrokenCircuitError) && !(error instanceof BulkheadRejectedError) && classify(error).kind === 'outage';
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: settings.breakerHalfOpenAfterMs,
    breaker: new SamplingBreaker({ threshold: settings.breakerFailureRatio, duration: settings.breakerWindowMs, minimumRps: settings.breakerMinimumRps }),
  });
  const limit = bulkhead(settings.concurrency, settings.queue);
  // The signal must stay unaborted once the call returns: a fetch Response's body is still to be read.
  const deadline = timeout(settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  // Retried: outages, and rate limits whose wait fits in the retry budget; never a breaker or bulkhead
  // refusal, and never once the wait would run past the call's bound (a RATE_LIMITED answered now is
  // worth more than a PROVIDER_TIMEOUT later).
  const retryable = (error: Error, startedAt: number) => {
    if (error instanceof BrokenCircuitError || error instanceof BulkheadRejectedError || error instanceof TaskCancelledError) return false;
    const failure = classify(error);
    const wait = failure.kind === 'rate-limited' ? (failure.retryAfterMs ?? Infinity) : failure.kind === 'outage' ? settings.retryBaseMs : Infinity;
    return wait <= settings.retryMaxMs && Date.now() - startedAt + wait < settings.timeoutMs;
  };
  // Outermost first: retries around attempts; each attempt holds a bulkhead slot, is counted by the
  // breaker, and is cut at the deadline, which frees its slot even if the provider never answers.
  const once = wrap(limit, breaker, deadline);
  // One bound for the call, its retries included: the caller never waits more than `timeoutMs`.
  const withRetries = () => {
    const startedAt = Date.now();
    const retrying = retry(handleWhen((error) => retryable(error, startedAt)), {
      maxAttempts: settings.retries,
      backoff: providerBackoff(classify, settings.retryBaseMs, settings.retryMaxMs, random),
    });
    return wrap(timeout(settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }), retrying, once);
  };
  // The parent of every call's signal (cockatiel's own default is one signal for the whole process). Each call
  // in flight listens to it and stops when done, so dozens at once are normal, not the leak Node warns of
  // from the eleventh listener on.
  const calls = new AbortController().signal;
  setMaxListeners(0, calls);
  const listeners: ((state: BreakerState) => void)[] = [];
  breaker.onStateChange((state) => listeners.forEach((listener) => listener(STATES[state])));
  const policy: ProviderPolicy = {
    provider,
    timeoutMs: settings.timeoutMs,
    async execute(fn, { idempotent = false, operation = 'call', deadlineMs } = {}) {
      const shortened = deadlineMs !== undefined && deadlineMs < settings.timeoutMs;
      if (shortened && deadlineMs <= 0) {
        metrics?.timeUpstream(provider, operation)(ErrorCode.PROVIDER_TIMEOUT);
        throw policyError(new TaskCancelledError(), provider, settings);
      }
      const inner = shortened
        ? wrap(limit, breaker, timeout(deadlineMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }))
        : idempotent && settings.retries > 0
          ? withRetries()
          : once;
      const stop = metrics?.timeUpstream(provider, operation);
      return inSpan('provider.call', { 'provider.name': provider, 'provider.operation': operation, 'provider.idempotent': idempotent }, async (span) => {
        try {
          const result = await inner.execute(({ signal }) => fn(signal), calls);
          stop?.('ok');
          return result;
        } catch (error) {
          const refused = policyError(error, provider, settings);
          const outcome = String(refused?.extensions['code'] ?? classify(error).kind);
          stop?.(outcome);
          markFailed(span, outcome);
          throw refused ?? error;
        }
      }, SpanKind.CLIENT);
    },
    state: () => STATES[breaker.state],
    onStateChange: (listener) => void listeners.push(listener),
  };
  metrics?.watchBreaker(provider, policy);
  return policy;
}

/**
 * A provider's failures classified by the stable code its own error mapping gives them: unavailability
 * is an outage (counts against the breaker, may be retried), RATE_LIMITED carries its wait, anything
 * else (not found, invalid input, declined) is the caller's and never trips the breaker.
 */
export function classifyByCode(toGraphQLError: (error: unknown) => GraphQLError): (error: unknown) => FailureClass {
  return (error) => {
    const mapped = toGraphQLError(error);
    const code = mapped.extensions['code'];
    if (code === ErrorCode.RATE_LIMITED) {
      const seconds = Number(mapped.extensions['retryAfter']);
      return { kind: 'rate-limited', retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined };
    }
    return code === ErrorCode.PROVIDER_UNAVAILABLE || code === ErrorCode.PROVIDER_TIMEOUT ? { kind: 'outage' } : { kind: 'caller' };
  };
}

/**
 * The stable error for a call the policy itself refused or cut short, or undefined for the provider's own
 * errors (which each provider maps).
 */
export function policyError(error: unknown, provider: string, settings: Pick<ResilienceSettings, 'breakerHalfOpenAfterMs' | 'timeoutMs'>): GraphQLError | undefined {
  if (error instanceof BrokenCircuitError) {
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, `${provider} is failing; calls are paused`, {
      provider,
      retryAfter: Math.ceil(settings.breakerHalfOpenAfterMs / 1000),
    });
  }
  if (error instanceof BulkheadRejectedError) {
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, `Too many calls to ${provider} at once`, { provider, retryAfter: 1 });
  }
  if (error instanceof TaskCancelledError) {
    return gatewayError(ErrorCode.PROVIDER_TIMEOUT, `${provider} did not answer within ${settings.timeoutMs} ms`, { provider });
  }
  return undefined;
}
