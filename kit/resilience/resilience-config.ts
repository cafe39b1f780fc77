import { z } from 'zod';
import { readConfig, env } from '../config.ts';
import { DEFAULT_RESILIENCE, type ResilienceSettings } from './resilience.ts';
import type { Environment } from '../provider.ts';

const ratio = (fallback: number) => env.positiveDecimal(fallback, { max: 1, message: 'expected a number above 0 and at most 1' });

/** The resilience variables every provider reads (README: Resilience); the same for every provider. */
export const resilienceConfigSchema = z.object({
  PROVIDER_TIMEOUT_MS: env.positiveInt(DEFAULT_RESILIENCE.timeoutMs, 600_000),
  PROVIDER_CONCURRENCY: env.positiveInt(DEFAULT_RESILIENCE.concurrency, 10_000),
  PROVIDER_QUEUE: env.nonNegativeInt(DEFAULT_RESILIENCE.queue, 100_000),
  BREAKER_FAILURE_RATIO: ratio(DEFAULT_RESILIENCE.breakerFailureRatio),
  BREAKER_WINDOW_MS: env.positiveInt(DEFAULT_RESILIENCE.breakerWindowMs, 3_600_000),
  BREAKER_MIN_RPS: env.positiveDecimal(DEFAULT_RESILIENCE.breakerMinimumRps, { message: 'expected a number above 0' }),
  BREAKER_HALF_OPEN_MS: env.positiveInt(DEFAULT_RESILIENCE.breakerHalfOpenAfterMs, 3_600_000),
  PROVIDER_RETRIES: env.nonNegativeInt(2, 10),
  CACHE_STALE_SECONDS: env.nonNegativeInt(300, 7 * 24 * 3600),
  /** Multiplies every cache TTL: for load experiments and chaos tests that need entries to age quickly. */
  CACHE_TTL_SCALE: env.positiveDecimal(1, { message: 'expected a number above 0' }),
});

export interface ResilienceConfig {
  settings: ResilienceSettings;
  /** How long cached entries outlive their TTL, to be served when the provider fails. */
  staleMs: number;
  ttlScale: number;
}

/**
 * `retries` only for SDKs that do not retry by themselves (Octokit, twitter-api-v2); Stripe's and the
 * AWS SDK's own retries are never repeated on top.
 */
export function resilienceFromEnv(environment: Environment, { sdkRetries }: { sdkRetries: boolean }): ResilienceConfig {
  const config = readConfig(resilienceConfigSchema, environment);
  return {
    settings: {
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      concurrency: config.PROVIDER_CONCURRENCY,
      queue: config.PROVIDER_QUEUE,
      breakerFailureRatio: config.BREAKER_FAILURE_RATIO,
      breakerWindowMs: config.BREAKER_WINDOW_MS,
      breakerMinimumRps: config.BREAKER_MIN_RPS,
      breakerHalfOpenAfterMs: config.BREAKER_HALF_OPEN_MS,
      retries: sdkRetries ? 0 : config.PROVIDER_RETRIES,
      retryBaseMs: DEFAULT_RESILIENCE.retryBaseMs,
      retryMaxMs: DEFAULT_RESILIENCE.retryMaxMs,
    },
    staleMs: config.CACHE_STALE_SECONDS * 1000,
    ttlScale: config.CACHE_TTL_SCALE,
  };
}

/** The defaults, for subgraphs built without an environment (tests, embedding). */
export function defaultResilience({ sdkRetries }: { sdkRetries: boolean }): ResilienceConfig {
  return resilienceFromEnv({}, { sdkRetries });
}
