import { Keyv } from 'keyv';
import type { CacheStore } from './cache-store.ts';

/** The embedded default: per-process maps, nothing to run. */
export function createMemoryCacheStore({ now = Date.now }: { now?: () => number } = {}): CacheStore {
  const namespaces = new Map<string, Keyv>();
  // Synchronous, so that two claims can never interleave between a read and a write.
  const claims = new Map<string, number>();
  return {
    kind: 'memory',
    namespace(namespace) {
      let keyv = namespaces.get(namespace);
      if (!keyv) {
        // A map of its own isolates the namespace; Keyv's namespace option is left off because keyv 5
        // mis-reads keys that happen to start with the namespace (Apollo's "apq:" keys, for one).
        keyv = new Keyv();
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
    async ping() {},
    async close() {
      await Promise.all([...namespaces.values()].map((keyv) => keyv.clear()));
      namespaces.clear();
      claims.clear();
    },
  };
}
