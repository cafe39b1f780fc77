import type { Keyv } from 'keyv';

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
  /** Resolves when the store answers; rejects when it cannot be reached (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
