import { ErrorCode, gatewayError } from '../errors.ts';
import { Lru } from '../lru.ts';

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

/** Trackers of identities that each have their own window at the provider (a connected user's token). */
export interface QuotaTrackers {
  /** `identity`'s tracker (the provider's stable id for the user), made on first use. */
  of(identity: string): QuotaTracker;
}

/** How many users' trackers are kept by default: far more than are active within one rate-limit window. */
export const DEFAULT_TRACKED_IDENTITIES = 10_000;

/**
 * One tracker per identity, so that a user who spent their own window is refused without spending anyone
 * else's standing (and the app's shared reads are never refused for it). Bounded: the least recently used
 * tracker is forgotten, which costs at most one call the provider refuses before the tracker learns again.
 * No `onReading`: a gauge label per user would be unbounded cardinality.
 */
export function createQuotaTrackers({
  provider,
  now,
  capacity = DEFAULT_TRACKED_IDENTITIES,
}: {
  provider: string;
  now?: () => number;
  capacity?: number;
}): QuotaTrackers {
  const trackers = new Lru<string, QuotaTracker>(capacity);
  return {
    of(identity) {
      const known = trackers.get(identity);
      if (known) return known;
      const created = createQuotaTracker({ provider, now });
      trackers.set(identity, created);
      return created;
    },
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
