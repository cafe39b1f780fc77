import DataLoader from 'dataloader';
import type { CacheKey, ProviderCache } from './provider-cache.ts';

export interface CachedLoaderOptions<Key, Value, Kind extends string> {
  cache: ProviderCache<Kind>;
  /** Where `key`'s value is cached. */
  cacheKey: (key: Key) => CacheKey<Kind>;
  /** Fetches the values of the keys the cache did not have, in order; an Error fails that key only. */
  fetch: (keys: readonly Key[]) => Promise<readonly (Value | Error)[]>;
  /** Identity of a key within one request, for keys that are objects. */
  keyId: (key: Key) => string;
  maxBatchSize?: number;
}

/**
 * A per-request DataLoader in front of the shared cache: one request asks the provider at most once per
 * distinct key, and not at all for keys another request cached. `null` values ("does not exist") are
 * cached too, so a repeated miss costs nothing.
 */
export function createCachedLoader<Key, Value, Kind extends string>({
  cache,
  cacheKey,
  fetch,
  keyId,
  maxBatchSize,
}: CachedLoaderOptions<Key, Value, Kind>): DataLoader<Key, Value, string> {
  return new DataLoader<Key, Value, string>(
    async (keys) => {
      const cached = await cache.getMany<Value>(keys.map(cacheKey));
      const missing = keys.filter((_, i) => cached[i] === undefined);
      const fetched = missing.length > 0 ? await fetch(missing) : [];
      await Promise.all(
        missing.map((key, i) => {
          const value = fetched[i];
          return value instanceof Error || value === undefined ? undefined : cache.set(cacheKey(key), value);
        }),
      );
      let next = 0;
      return keys.map((_, i) => {
        const hit = cached[i];
        if (hit !== undefined) return hit.value;
        const value = fetched[next++];
        return value === undefined ? new Error('provider returned fewer results than requested') : value;
      });
    },
    { cacheKeyFn: keyId, ...(maxBatchSize ? { maxBatchSize } : {}) },
  );
}
