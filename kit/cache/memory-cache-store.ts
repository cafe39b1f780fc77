import { Keyv } from 'keyv';
import type { CacheStore } from './cache-store.ts';
import { fullAt, takeFromBucket, type BucketState } from '../resilience/token-bucket.ts';

/** Buckets kept before the first sweep of full ones; later sweeps wait for the map to double. */
const BUCKET_SWEEP_MIN = 1024;

/** The embedded default: per-process maps, nothing to run. */
export function createMemoryCacheStore({ now = Date.now }: { now?: () => number } = {}): CacheStore {
  const namespaces = new Map<string, Keyv>();
  // Synchronous, so that two claims can never interleave between a read and a write.
  const claims = new Map<string, number>();
  // Also synchronous per take. `fullAt` lets a sweep drop buckets that refilled, whatever limit each one had.
  const buckets = new Map<string, BucketState & { fullAt: number }>();
  let bucketSweepAt = BUCKET_SWEEP_MIN;
  return {
    kind: 'memory',
    namespace(namespace) {
      let keyv = namespaces.get(namespace);
      if (!keyv) {
        // A map of its own isolates the namespace; Keyv's namespace option is left off because keyv 5
        // mis-reads keys that happen to start with the namespace (Apollo's "apq:" keys, for one).
        // Values still go through JSON (a reader can never mutate what another read), but plain JSON: keyv's
        // default serializer walks values by hand and parses with a reviver, ~4% of a cached answer's CPU,
        // to round-trip Buffers, which nothing here caches.
        keyv = new Keyv({ serialize: JSON.stringify, deserialize: JSON.parse });
        namespaces.set(namespace, keyv);
      }
      return keyv;
    },
    async claim(namespace, key, ttlMs) {
      const id = `${namespace}\u0000${key}`;
      const expiresAt = claims.get(id);
      if (expiresAt !== undefined && expiresAt > now()) return false;
      claims.set(id, now() + ttlMs);
      if (claims.size % 1024 === 0) for (const [k, at] of claims) if (at <= now()) claims.delete(k);
      return true;
    },
    async releaseClaim(namespace, key) {
      claims.delete(`${namespace}\u0000${key}`);
    },
    async takeTokens(namespace, key, limit, cost = 1) {
      const id = `${namespace}\u0000${key}`;
      const at = now();
      const { decision, state } = takeFromBucket(buckets.get(id), limit, cost, at);
      buckets.set(id, { ...state, fullAt: fullAt(state, limit) });
      if (buckets.size > bucketSweepAt) {
        // A full bucket is the same as a missing one, so memory stays bounded by the keys in active use.
        for (const [k, bucket] of buckets) if (bucket.fullAt <= at) buckets.delete(k);
        bucketSweepAt = Math.max(BUCKET_SWEEP_MIN, buckets.size * 2);
      }
      return decision;
    },
    async ping() {},
    async close() {
      await Promise.all([...namespaces.values()].map((keyv) => keyv.clear()));
      namespaces.clear();
      claims.clear();
      buckets.clear();
    },
  };
}
