import { ErrorCode, gatewayError } from '../errors.ts';

/** What a provider's rate-limit headers said last: how many calls are left in the window, and when it resets. */
export interface QuotaReading {
  limit: number;
  remaining: number;
  /** Unix milliseconds. */
  resetAt: number;
}

export interface QuotaTracker {
  record(resource: string, reading: QuotaReading): void;
  /**
   * Not to be called before `untilMs` (Unix milliseconds), whatever later readings say: a provider that
   * throttled without spending the window (GitHub's secondary rate limits, or a spent window's refusal).
   */
  backOff(resource: string, untilMs: number): void;
  /**
   * Throws RATE_LIMITED (with `retryAfter` seconds) when the window is known to be spent or a back-off is
   * in force, instead of calling.
   */
  assertAvailable(resource: string): void;
  reading(resource: string): QuotaReading | undefined;
}

/**
 * Rate-limit awareness: a provider that said "0 left until T" is not called again before T. Sending calls
 * that will be refused only burns goodwill (and, at GitHub, can earn a secondary-limit ban).
 */
export function createQuotaTracker({
  provider,
  now = Date.now,
  onReading,
}: {
  provider: string;
  now?: () => number;
  /** Told every reading (for the quota-remaining gauge). */
  onReading?: (resource: string, reading: QuotaReading) => void;
}): QuotaTracker {
  const readings = new Map<string, QuotaReading>();
  const backOffs = new Map<string, number>();
  return {
    record(resource, reading) {
      readings.set(resource, reading);
      onReading?.(resource, reading);
    },
    backOff(resource, untilMs) {
      backOffs.set(resource, Math.max(untilMs, backOffs.get(resource) ?? 0));
    },
    assertAvailable(resource) {
      const reading = readings.get(resource);
      const spentUntil = reading && reading.remaining <= 0 ? reading.resetAt : 0;
      const until = Math.max(spentUntil, backOffs.get(resource) ?? 0);
      if (until > now()) throw rateLimited(provider, Math.ceil((until - now()) / 1000));
    },
    reading: (resource) => readings.get(resource),
  };
}

export function rateLimited(provider: string, retryAfterSeconds: number) {
  return gatewayError(ErrorCode.RATE_LIMITED, `The ${provider} rate limit is spent; retry after ${retryAfterSeconds} s`, {
    provider,
    retryAfter: Math.max(1, retryAfterSeconds),
  });
}

/** Reads `<prefix>limit`, `<prefix>remaining`, `<prefix>reset` (unix seconds) headers, as GitHub and X send them. */
export function quotaFromHeaders(headers: { get(name: string): string | null }, prefix: string): QuotaReading | undefined {
  const limit = Number(headers.get(`${prefix}limit`));
  const remaining = Number(headers.get(`${prefix}remaining`));
  const reset = Number(headers.get(`${prefix}reset`));
  if (!headers.get(`${prefix}remaining`) || Number.isNaN(remaining) || Number.isNaN(reset)) return undefined;
  return { limit: Number.isNaN(limit) ? remaining : limit, remaining, resetAt: reset * 1000 };
}
