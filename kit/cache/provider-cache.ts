import type { Keyv } from 'keyv';

/**
 * How long each kind of entry lives, and whose it is. A `caller` entry holds data that depends on who
 * asked (a viewer's private data, say) and can only be keyed with the caller's id, so one user's entry
 * can never be served to another.
 */
export interface EntryPolicy {
  ttlMs: number;
  /** TTL for `null`, the provider's "does not exist"; short, since the thing may be created any moment. */
  missingTtlMs?: number;
  scope: 'shared' | 'caller';
}
export type CachePolicy<Kind extends string> = Readonly<Record<Kind, EntryPolicy>>;

export interface CacheKey<Kind extends string> {
  kind: Kind;
  id: string;
  /** Required for kinds whose scope is `caller`. */
  callerId?: string;
}

/** What is stored: the value and when, so that stale-while-error can tell its age. */
export interface CacheEntry<T> {
  value: T;
  storedAt: number;
}

/** A cached entry, and whether it is still within its TTL (else it is only kept for stale-while-error). */
export interface CacheLookup<T> {
  entry: CacheEntry<T>;
  fresh: boolean;
}

/** An entry served past its TTL because the provider failed: for the response's `extensions.stale`. */
export interface StaleServe {
  kind: string;
  id: string;
  since: string;
}

export interface ProviderCache<Kind extends string> {
  get<T>(key: CacheKey<Kind>): Promise<CacheLookup<T> | undefined>;
  getMany<T>(keys: readonly CacheKey<Kind>[]): Promise<(CacheLookup<T> | undefined)[]>;
  set<T>(key: CacheKey<Kind>, value: T): Promise<void>;
  delete(keys: readonly CacheKey<Kind>[]): Promise<void>;
  /**
   * The fresh cached value, or `load()`'s (returned at once, stored behind it). Concurrent reads of one key,
   * from any request, share one load. When `load()` fails and a stale entry is kept, that is served instead.
   */
  readThrough<T>(key: CacheKey<Kind>, load: () => Promise<T>): Promise<T>;
  /** Records that a stale entry was served (see `onStale`). */
  servedStale(key: CacheKey<Kind>, entry: CacheEntry<unknown>): void;
  /** Whether a load of this cache key (`keyOf`) is in flight, from any request. */
  isInFlight(id: string): boolean;
  /**
   * The load of cache key `id` already in flight, or `start()`'s, shared with every request asking until it
   * settles (and, with `keep`, until `keep` has stored its value): identical upstream reads are made once.
   * The value reaches the callers as soon as it is loaded: a store write (a Redis round trip) is never on
   * their path, and the load stays shared until the entry is there, so no reader misses in between.
   */
  share<T>(id: string, start: () => Promise<T>, keep?: (value: T) => Promise<unknown> | undefined): Promise<T>;
  keyOf(key: CacheKey<Kind>): string;
}

export function cacheKeyString<Kind extends string>(policy: CachePolicy<Kind>, { kind, id, callerId }: CacheKey<Kind>): string {
  if (policy[kind].scope === 'caller') {
    if (!callerId) throw new Error(`cache entries of kind "${kind}" are per caller and need a callerId`);
    return `${kind}:u=${encodeURIComponent(callerId)}:${id}`;
  }
  return `${kind}:${id}`;
}

/**
 * A provider's view of the shared store: its own namespace, a TTL per entry kind. Entries are kept for
 * `staleMs` after their TTL, to be served (and reported through `onStale`) when the provider fails.
 */
export function createProviderCache<Kind extends string>({
  keyv,
  policy,
  staleMs = 0,
  ttlScale = 1,
  onStale,
  onLookup,
  now = Date.now,
}: {
  keyv: Keyv;
  policy: CachePolicy<Kind>;
  staleMs?: number;
  /** Multiplies every TTL (CACHE_TTL_SCALE). */
  ttlScale?: number;
  onStale?: (serve: StaleServe) => void;
  /** Told every lookup's result, for the cache hit/miss/stale counters. */
  onLookup?: (kind: string, result: 'hit' | 'miss' | 'stale') => void;
  now?: () => number;
}): ProviderCache<Kind> {
  const keyOf = (key: CacheKey<Kind>) => cacheKeyString(policy, key);
  const ttlOf = (key: CacheKey<Kind>, value: unknown) => {
    const { ttlMs, missingTtlMs = ttlMs } = policy[key.kind];
    return Math.max(1, Math.round((value === null ? missingTtlMs : ttlMs) * ttlScale));
  };
  const lookup = <T>(key: CacheKey<Kind>, entry: CacheEntry<T> | undefined | null): CacheLookup<T> | undefined => {
    const found = entry ? { entry, fresh: now() - entry.storedAt <= ttlOf(key, entry.value) } : undefined;
    onLookup?.(key.kind, found?.fresh ? 'hit' : 'miss');
    return found;
  };
  const store = async <T>(key: CacheKey<Kind>, value: T) => {
    const entry: CacheEntry<T> = { value, storedAt: now() };
    // "Does not exist" is never worth serving stale: it is kept for its own short TTL only.
    await keyv.set(keyOf(key), entry, ttlOf(key, value) + (value === null ? 0 : staleMs));
  };
  const inFlight = new Map<string, Promise<unknown>>();
  const share = <T>(id: string, start: () => Promise<T>, keep?: (value: T) => Promise<unknown> | undefined): Promise<T> => {
    const pending = inFlight.get(id) as Promise<T> | undefined;
    if (pending) return pending;
    const started = start();
    inFlight.set(id, started);
    const forget = () => void (inFlight.get(id) === started && inFlight.delete(id));
    // A write that fails loses a cache entry, not the answer: the store reports its own failures (see
    // redis-cache-store.ts), and the next read loads again.
    started.then((value) => (keep ? Promise.resolve(keep(value)).catch(() => undefined).then(forget) : forget()), forget);
    return started;
  };
  const servedStale = (key: CacheKey<Kind>, entry: CacheEntry<unknown>) => {
    onLookup?.(key.kind, 'stale');
    onStale?.({ kind: key.kind, id: key.id, since: new Date(entry.storedAt + ttlOf(key, entry.value)).toISOString() });
  };
  return {
    async get<T>(key: CacheKey<Kind>) {
      return lookup(key, await keyv.get<CacheEntry<T>>(keyOf(key)));
    },
    async getMany<T>(keys: readonly CacheKey<Kind>[]) {
      if (keys.length === 0) return [];
      const values = await keyv.get<CacheEntry<T>>(keys.map(keyOf));
      return values.map((value, i) => lookup(keys[i]!, value));
    },
    set: store,
    async delete(keys: readonly CacheKey<Kind>[]) {
      if (keys.length > 0) await keyv.delete(keys.map(keyOf));
    },
    async readThrough<T>(key: CacheKey<Kind>, load: () => Promise<T>) {
      const cached = lookup(key, await keyv.get<CacheEntry<T>>(keyOf(key)));
      if (cached?.fresh) return cached.entry.value;
      try {
        return await share(keyOf(key), load, (value) => store(key, value));
      } catch (error) {
        if (!cached) throw error;
        servedStale(key, cached.entry);
        return cached.entry.value;
      }
    },
    servedStale,
    isInFlight: (id) => inFlight.has(id),
    share,
    keyOf,
  };
}
