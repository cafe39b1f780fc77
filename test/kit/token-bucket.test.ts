import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheStore, TokenBucketLimit, TokenDecision } from '../../kit/cache/cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createRedisCacheStore } from '../../kit/cache/redis-cache-store.ts';
import { fullRefillMs, takeFromBucket, tokensAt, type BucketState } from '../../kit/resilience/token-bucket.ts';
import { REDIS_URL, redisAvailable } from '../support/redis.ts';

/** Drives the pure arithmetic the way a store does: keeps the returned state, reads time from `clock.now`. */
function bucket(limit: TokenBucketLimit, clock: { now: number }) {
  let state: BucketState | undefined;
  return (cost = 1): TokenDecision => {
    const result = takeFromBucket(state, limit, cost, clock.now);
    state = result.state;
    return result.decision;
  };
}

describe('token bucket arithmetic', () => {
  it('allows a burst of capacity, then refuses with the time until the next token', () => {
    const clock = { now: 1_000_000 };
    const take = bucket({ capacity: 5, refillPerSecond: 2 }, clock);
    expect(Array.from({ length: 5 }, () => take())).toEqual([4, 3, 2, 1, 0].map((remaining) => ({ allowed: true, remaining, retryAfterMs: 0 })));
    expect(take()).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    clock.now += 499;
    expect(take()).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    clock.now += 1;
    expect(take()).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('refills continuously as time passes, fractional rates included', () => {
    const clock = { now: 0 };
    const take = bucket({ capacity: 4, refillPerSecond: 0.25 }, clock);
    for (let i = 0; i < 4; i++) take();
    expect(take()).toEqual({ allowed: false, remaining: 0, retryAfterMs: 4000 });
    clock.now += 6000; // 1.5 tokens
    expect(take()).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(take()).toEqual({ allowed: false, remaining: 0, retryAfterMs: 2000 });
  });

  it('takes a cost above 1 whole, or not at all', () => {
    const clock = { now: 0 };
    const take = bucket({ capacity: 10, refillPerSecond: 1 }, clock);
    expect(take(7)).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0 });
    expect(take(5)).toEqual({ allowed: false, remaining: 3, retryAfterMs: 2000 });
    expect(take(3)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('never holds more than its capacity, however long it idles', () => {
    const limit = { capacity: 3, refillPerSecond: 100 };
    const clock = { now: 0 };
    const take = bucket(limit, clock);
    take(3);
    clock.now += 3_600_000;
    expect(take()).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(tokensAt({ tokens: 2.5, updatedAt: 0 }, limit, 3_600_000)).toBe(3);
  });

  it('allows a caller that waited exactly the retryAfterMs it was given, whatever the rate', () => {
    for (const refillPerSecond of [0.1, 0.3, 0.7, 1, 2, 3, 7, 13, 33.3, 999]) {
      for (const cost of [1, 2, 3]) {
        const clock = { now: 1_700_000_000_000 };
        const take = bucket({ capacity: 3, refillPerSecond }, clock);
        take(3);
        for (let step = 0; step < 20; step++) {
          const refused = take(cost);
          expect(refused.allowed).toBe(false);
          clock.now += refused.retryAfterMs - 1;
          expect(take(cost).allowed).toBe(false);
          clock.now += 1;
          expect(take(cost).allowed).toBe(true);
        }
      }
    }
  });

  it('refills nothing when the clock goes back', () => {
    expect(tokensAt({ tokens: 1, updatedAt: 5000 }, { capacity: 3, refillPerSecond: 1 }, 1000)).toBe(1);
  });

  it('rejects limits and costs that could never be met', () => {
    const at = (limit: TokenBucketLimit, cost: number) => () => takeFromBucket(undefined, limit, cost, 0);
    expect(at({ capacity: 2, refillPerSecond: 1 }, 3)).toThrow(RangeError);
    expect(at({ capacity: 2, refillPerSecond: 1 }, 0)).toThrow(RangeError);
    expect(at({ capacity: 0, refillPerSecond: 1 }, 1)).toThrow(RangeError);
    expect(at({ capacity: 2, refillPerSecond: 0 }, 1)).toThrow(RangeError);
    expect(at({ capacity: 2, refillPerSecond: Number.NaN }, 1)).toThrow(RangeError);
  });

  it('expires an idle bucket once it would be full again, but not sooner than a second', () => {
    expect(fullRefillMs({ capacity: 10, refillPerSecond: 4 })).toBe(2500);
    expect(fullRefillMs({ capacity: 1, refillPerSecond: 3 })).toBe(1000);
    expect(fullRefillMs({ capacity: 1, refillPerSecond: 0.3 })).toBe(3334);
  });
});

describe('token buckets in the memory store', () => {
  it('allows exactly capacity out of 50 concurrent takes', async () => {
    // A frozen clock, so that nothing refills while the takes run.
    const store = createMemoryCacheStore({ now: () => 0 });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => store.takeTokens('api', 'user-1', { capacity: 10, refillPerSecond: 1 })));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs === 1000)).toBe(true);
    await store.close();
  });

  it('keeps one bucket per namespace and key, refilled by the injected clock', async () => {
    let now = 0;
    const store = createMemoryCacheStore({ now: () => now });
    const limit = { capacity: 1, refillPerSecond: 1 };
    expect((await store.takeTokens('api', 'a', limit)).allowed).toBe(true);
    expect((await store.takeTokens('api', 'a', limit)).allowed).toBe(false);
    expect((await store.takeTokens('api', 'b', limit)).allowed).toBe(true);
    expect((await store.takeTokens('other', 'a', limit)).allowed).toBe(true);
    now += 1000;
    expect((await store.takeTokens('api', 'a', limit)).allowed).toBe(true);
    await store.close();
  });

  it('sweeps only buckets that are full again', async () => {
    let now = 0;
    const store = createMemoryCacheStore({ now: () => now });
    const slow = { capacity: 1, refillPerSecond: 0.001 };
    await store.takeTokens('api', 'drained', slow);
    now += 10_000;
    // Enough short-lived buckets to trigger sweeps; each is full again 10 ms later.
    for (let i = 0; i < 5000; i++) {
      await store.takeTokens('api', `burst-${i}`, { capacity: 1, refillPerSecond: 100 });
      now += 1;
    }
    expect(await store.takeTokens('api', 'drained', slow)).toMatchObject({ allowed: false, remaining: 0 });
    await store.close();
  });
});

const hasRedis = await redisAvailable();
const logger = createLogger({ level: 'silent', name: 'test' });
// A prefix of its own, so parallel runs sharing this Redis never see each other's buckets.
const keyPrefix = `fgw-test-${randomUUID()}`;

describe.skipIf(!hasRedis)('token buckets in Redis, shared by two replicas', () => {
  const stores: CacheStore[] = [];
  const raw = createClient({ url: REDIS_URL });

  beforeAll(async () => {
    // Separate connections, as two replicas would have.
    for (let i = 0; i < 2; i++) stores.push(await createRedisCacheStore({ url: REDIS_URL, keyPrefix, logger }));
    await raw.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    if (!raw.isOpen) return;
    for await (const keys of raw.scanIterator({ MATCH: `${keyPrefix}:*`, COUNT: 100 })) {
      if (keys.length > 0) await raw.del(keys);
    }
    await raw.close();
  });

  it('allows exactly capacity in total out of 50 concurrent takes across both', async () => {
    // Slow enough that nothing refills during the test.
    const limit = { capacity: 10, refillPerSecond: 0.001 };
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 2]!.takeTokens('api', 'user-1', limit)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(40);
    expect(refused.every((d) => d.retryAfterMs > 0 && d.remaining === 0)).toBe(true);

    const key = `${keyPrefix}:api:bucket:user-1`;
    const ttl = await raw.pTTL(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(fullRefillMs(limit));
  });

  it('refills on Redis time, and expires an idle bucket after at least a second', async () => {
    const limit = { capacity: 2, refillPerSecond: 20 };
    expect(await stores[0]!.takeTokens('api', 'user-2', limit, 2)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    const refused = await stores[1]!.takeTokens('api', 'user-2', limit);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(50);
    await sleep(refused.retryAfterMs + 5);
    expect((await stores[1]!.takeTokens('api', 'user-2', limit)).allowed).toBe(true);

    const ttl = await raw.pTTL(`${keyPrefix}:api:bucket:user-2`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  it('takes a cost above 1 whole or not at all, and rejects one above capacity', async () => {
    const limit = { capacity: 5, refillPerSecond: 0.001 };
    expect(await stores[0]!.takeTokens('api', 'user-3', limit, 4)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    const refused = await stores[1]!.takeTokens('api', 'user-3', limit, 2);
    expect(refused).toMatchObject({ allowed: false, remaining: 1 });
    expect(refused.retryAfterMs).toBeGreaterThan(900_000); // about one token at 0.001/s
    expect(await stores[1]!.takeTokens('api', 'user-3', limit, 1)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    await expect(stores[0]!.takeTokens('api', 'user-3', limit, 6)).rejects.toThrow(RangeError);
  });
});
