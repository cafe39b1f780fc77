import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { createCachedLoader } from '../../kit/cache/cached-loader.ts';
import { createProviderCache } from '../../kit/cache/provider-cache.ts';

/**
 * A store whose writes wait until released (a Redis round trip, or a Redis that hangs until the command's
 * deadline), or fail: what the callers of the provider cache must not wait for, nor lose their answer to.
 */
class SlowStore extends Map<string, unknown> {
  writes = 0;
  #pending: (() => void)[] = [];
  #fail = false;
  failWrites() {
    this.#fail = true;
  }
  release() {
    for (const finish of this.#pending.splice(0)) finish();
  }
  // Keyv awaits what its store's set returns.
  override set(key: string, value: unknown): this {
    this.writes++;
    const write = new Promise<void>((resolve, reject) =>
      this.#pending.push(() => {
        if (this.#fail) reject(new Error('the store is down'));
        else {
          super.set(key, value);
          resolve();
        }
      }),
    );
    return write as unknown as this;
  }
}

const policy = { user: { ttlMs: 60_000, scope: 'shared' } } as const;

function setUp() {
  const store = new SlowStore();
  const cache = createProviderCache<'user'>({ keyv: new Keyv({ store, serialize: JSON.stringify, deserialize: JSON.parse }), policy });
  let loads = 0;
  let finishLoad: (value: string) => void = () => undefined;
  const load = () => {
    loads++;
    return new Promise<string>((resolve) => (finishLoad = resolve));
  };
  return { store, cache, load, loads: () => loads, finishLoad: (value: string) => finishLoad(value) };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the provider cache stores behind the answer', () => {
  it('answers as soon as the provider has, keeps the load shared until the entry is stored, then reads it', async () => {
    const { store, cache, load, loads, finishLoad } = setUp();
    const key = { kind: 'user' as const, id: 'ada' };
    const first = cache.readThrough(key, load);
    await settled();
    finishLoad('Ada');
    expect(await first).toBe('Ada');
    // Answered while the write is still waiting on the store.
    expect(store.writes).toBe(1);
    expect(cache.isInFlight(cache.keyOf(key))).toBe(true);
    // A reader in between shares the load instead of asking the provider again.
    expect(await cache.readThrough(key, load)).toBe('Ada');
    expect(loads()).toBe(1);
    store.release();
    await settled();
    expect(cache.isInFlight(cache.keyOf(key))).toBe(false);
    expect(await cache.readThrough(key, load)).toBe('Ada');
    expect(loads()).toBe(1);
  });

  it('keeps the answer when the write fails; the next read loads again', async () => {
    const { store, cache, load, loads, finishLoad } = setUp();
    const key = { kind: 'user' as const, id: 'grace' };
    store.failWrites();
    const first = cache.readThrough(key, load);
    await settled();
    finishLoad('Grace');
    expect(await first).toBe('Grace');
    store.release();
    await settled();
    expect(cache.isInFlight(cache.keyOf(key))).toBe(false);
    const again = cache.readThrough(key, load);
    await settled();
    expect(loads()).toBe(2);
    finishLoad('Grace H.');
    expect(await again).toBe('Grace H.');
  });

  it('does the same for a batched loader: values before their writes, one provider call for all', async () => {
    const { store, cache } = setUp();
    let calls = 0;
    const loader = createCachedLoader<string, string, 'user'>({
      cache,
      cacheKey: (id) => ({ kind: 'user', id }),
      keyId: (id) => id,
      fetch: async (ids) => {
        calls++;
        return ids.map((id) => id.toUpperCase());
      },
    });
    expect(await Promise.all([loader.load('a'), loader.load('b')])).toEqual(['A', 'B']);
    expect(calls).toBe(1);
    expect(store.writes).toBe(2);
    expect(cache.isInFlight(cache.keyOf({ kind: 'user', id: 'a' }))).toBe(true);
    store.release();
    await settled();
    const lookups = await cache.getMany<string>([{ kind: 'user', id: 'a' }, { kind: 'user', id: 'b' }]);
    expect(lookups.map((lookup) => lookup?.entry.value)).toEqual(['A', 'B']);
  });
});
