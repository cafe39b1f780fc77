import type { Keyv } from 'keyv';

/** A token bucket: holds at most `capacity` tokens and regains `refillPerSecond` of them every second, continuously. */
export interface TokenBucketLimit {
  capacity: number;
  refillPerSecond: number;
}

export interface TokenDecision {
  allowed: boolean;
  /** Whole tokens left after this decision. */
  remaining: number;
  /** ms until `cost` tokens (one, by default) are available again; 0 when allowed */
  retryAfterMs: number;
}

/**
 * Where cached entries live. One store per process, shared by every provider; each provider
 * gets its own namespace so keys never collide and one provider's eviction never touches another's.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  /** A Keyv whose keys all live under `namespace`; the same namespace returns the same instance. */
  namespace(namespace: string): Keyv;
  /**
   * Atomically marks `key` of `namespace` as taken for `ttlMs`; true for the first caller only, on every
   * replica sharing the store. For de-duplication (webhook event ids), where get-then-set would race.
   */
  claim(namespace: string, key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back, so the next `claim` of `key` succeeds (a webhook whose processing failed, to be redelivered). */
  releaseClaim(namespace: string, key: string): Promise<void>;
  /**
   * Atomically takes `cost` tokens (default 1) from the bucket `key` of `namespace`; every replica sharing the store sees one bucket.
   * For per-principal rate limits, which replicas counting on their own would multiply by the replica count.
   * A bucket starts full; a refused take subtracts nothing. Throws a RangeError for a limit or cost that could
   * never be met (cost above capacity, non-positive numbers).
   */
  takeTokens(namespace: string, key: string, limit: TokenBucketLimit, cost?: number): Promise<TokenDecision>;
  /** Resolves when the store answers; rejects when it cannot be reached (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
