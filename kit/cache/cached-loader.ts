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
 * distinct key, and not at all for keys another request cached or is fetching right now (in-flight loads
 * are shared across requests). `null` values ("does not exist") are cached too, so a repeated miss costs
 * nothing. When the provider fails, an entry past its TTL but still kept is served instead (and reported).
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
      const cacheKeys = keys.map(cacheKey);
      const cached = await cache.getMany<Value>(cacheKeys);
      const ids = cacheKeys.map((key) => cache.keyOf(key));
      // What no other request is already fetching is fetched here, in one batch, and shared while in flight.
      const toFetch = keys.flatMap((key, i) => (!cached[i]?.fresh && !cache.isInFlight(ids[i]!) ? [key] : []));
      const batch = toFetch.length > 0 ? fetch(toFetch) : Promise.resolve([]);
      return Promise.all(
        keys.map(async (key, i) => {
          const hit = cached[i];
          if (hit?.fresh) return hit.entry.value;
          const outcome = await cache
            .share(
              ids[i]!,
              () => batch.then((values) => values[toFetch.indexOf(key)]),
              // Stored behind the answer (see share); an Error or a missing value is not stored.
              (value) => (value instanceof Error || value === undefined ? undefined : cache.set(cacheKeys[i]!, value)),
            )
            .then(
              (value) => value as Value | Error | undefined,
              (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
            );
          if (outcome instanceof Error || outcome === undefined) {
            if (hit) {
              cache.servedStale(cacheKeys[i]!, hit.entry);
              return hit.entry.value;
            }
            return outcome ?? new Error('provider returned fewer results than requested');
          }
          return outcome;
        }),
      );
    },
    { cacheKeyFn: keyId, ...(maxBatchSize ? { maxBatchSize } : {}) },
  );
}
