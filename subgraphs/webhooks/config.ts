import { z } from 'zod';
import { baseConfigSchema, env } from '../../kit/config.ts';
import { DEFAULT_SCHEDULE, scaledSchedule } from './schedule.ts';
import type { OutboxSettings } from './outbox.ts';

/** Outgoing webhooks' environment; every variable has a production-worthy default. */
export const webhooksConfigSchema = z.object({
  NODE_ENV: baseConfigSchema.shape.NODE_ENV,
  /** Development only: deliver to loopback, private and link-local addresses (a receiver on this machine). */
  WEBHOOKS_ALLOW_PRIVATE_URLS: env.boolean(false),
  WEBHOOKS_ATTEMPT_TIMEOUT_MS: env.positiveInt(15_000, 60_000),
  /** Multiplies every retry delay (1: about three days in all); tests and demos compress it. */
  WEBHOOKS_SCHEDULE_SCALE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^\d+(\.\d+)?$/, { message: 'expected a number above 0, at most 1' }).transform(Number).refine((n) => n > 0 && n <= 1, { message: 'expected a number above 0, at most 1' }).default(1),
  ),
  WEBHOOKS_MAX_CONCURRENCY_PER_ENDPOINT: env.positiveInt(8, 100),
  WEBHOOKS_WORKER_CONCURRENCY: env.nonNegativeInt(64, 1000),
  WEBHOOKS_POLL_INTERVAL_MS: env.positiveInt(1000, 60_000),
  WEBHOOKS_BREAKER_THRESHOLD: env.positiveInt(10, 1000),
  WEBHOOKS_BREAKER_OPEN_MS: env.positiveInt(30_000, 3_600_000),
  WEBHOOKS_DISABLE_AFTER_SECONDS: env.positiveInt(5 * 86_400, 30 * 86_400),
  /** Finished messages older than this are deleted with their deliveries and attempts (and can no longer be replayed). */
  WEBHOOKS_RETENTION_DAYS: env.positiveInt(30, 3650),
});

export interface WebhooksSettings extends OutboxSettings {
  allowPrivate: boolean;
  requireHttps: boolean;
  attemptTimeoutMs: number;
  maxResponseBytes: number;
  /** Deliveries this process attempts at once (0: this replica serves the API and feeds the outbox only). */
  workerConcurrency: number;
  pollIntervalMs: number;
  /** How long finished messages are kept (retention.ts), and how often older ones are looked for. */
  retentionMs: number;
  pruneIntervalMs: number;
}

export function webhooksSettingsFromEnv(config: z.output<typeof webhooksConfigSchema>): WebhooksSettings {
  const attemptTimeoutMs = config.WEBHOOKS_ATTEMPT_TIMEOUT_MS;
  return {
    allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_URLS,
    requireHttps: config.NODE_ENV === 'production' && !config.WEBHOOKS_ALLOW_PRIVATE_URLS,
    attemptTimeoutMs,
    maxResponseBytes: 4096,
    workerConcurrency: config.WEBHOOKS_WORKER_CONCURRENCY,
    pollIntervalMs: config.WEBHOOKS_POLL_INTERVAL_MS,
    retentionMs: config.WEBHOOKS_RETENTION_DAYS * 86_400_000,
    pruneIntervalMs: 3_600_000,
    schedule: config.WEBHOOKS_SCHEDULE_SCALE === 1 ? DEFAULT_SCHEDULE : scaledSchedule(config.WEBHOOKS_SCHEDULE_SCALE),
    leaseMs: attemptTimeoutMs * 2 + 10_000,
    maxConcurrencyPerEndpoint: config.WEBHOOKS_MAX_CONCURRENCY_PER_ENDPOINT,
    breakerThreshold: config.WEBHOOKS_BREAKER_THRESHOLD,
    breakerOpenMs: config.WEBHOOKS_BREAKER_OPEN_MS,
    disableAfterMs: config.WEBHOOKS_DISABLE_AFTER_SECONDS * 1000,
  };
}

/** Defaults, for tests and the benchmark to override. */
export function defaultWebhooksSettings(overrides: Partial<WebhooksSettings> = {}): WebhooksSettings {
  return { ...webhooksSettingsFromEnv(webhooksConfigSchema.parse({})), ...overrides };
}
