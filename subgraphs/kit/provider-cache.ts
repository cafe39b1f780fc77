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

/** What is stored: the value and when, so that later policies (stale-while-error) can tell its age. */
export interface CacheEntry<T> {
  value: T;
  storedAt: number;
}

export interface ProviderCache<Kind extends string> {
  get<T>(key: CacheKey<Kind>): Promise<CacheEntry<T> | undefined>;
  getMany<T>(keys: readonly CacheKey<Kind>[]): Promise<(CacheEntry<T> | undefined)[]>;
  set<T>(key: CacheKey<Kind>, value: T): Promise<void>;
  delete(keys: readonly CacheKey<Kind>[]): Promise<void>;
  /** The cached value, or `load()`'s, stored before it is returned. */
  readThrough<T>(key: CacheKey<Kind>, load: () => Promise<T>): Promise<T>;
}

export function cacheKeyString<Kind extends string>(policy: CachePolicy<Kind>, { kind, id, callerId }: CacheKey<Kind>): string {
  if (policy[kind].scope === 'caller') {
    if (!callerId) throw new Error(`cache entries of kind "${kind}" are per caller and need a callerId`);
    return `${kind}:u=${encodeURIComponent(callerId)}:${id}`;
  }
  return `${kind}:${id}`;
}

/** A provider's view of the shared store: its own namespace, a TTL per entry kind. */
export function createProviderCache<Kind extends string>({
  keyv,
  policy,
  now = Date.now,
}: {
  keyv: Keyv;
  policy: CachePolicy<Kind>;
  now?: () => number;
}): ProviderCache<Kind> {
  const keyOf = (key: CacheKey<Kind>) => cacheKeyString(policy, key);
  const store = async <T>(key: CacheKey<Kind>, value: T) => {
    const entry: CacheEntry<T> = { value, storedAt: now() };
    const { ttlMs, missingTtlMs = ttlMs } = policy[key.kind];
    await keyv.set(keyOf(key), entry, value === null ? missingTtlMs : ttlMs);
  };
  return {
    async get<T>(key: CacheKey<Kind>) {
      return (await keyv.get<CacheEntry<T>>(keyOf(key))) ?? undefined;
    },
    async getMany<T>(keys: readonly CacheKey<Kind>[]) {
      if (keys.length === 0) return [];
      const values = await keyv.get<CacheEntry<T>>(keys.map(keyOf));
      return values.map((v) => v ?? undefined);
    },
    set: store,
    async delete(keys: readonly CacheKey<Kind>[]) {
      if (keys.length > 0) await keyv.delete(keys.map(keyOf));
    },
    async readThrough<T>(key: CacheKey<Kind>, load: () => Promise<T>) {
      const hit = (await keyv.get<CacheEntry<T>>(keyOf(key))) ?? undefined;
      if (hit) return hit.value;
      const value = await load();
      await store(key, value);
      return value;
    },
  };
}
