import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createRedisCacheStore } from '../../kit/cache/redis-cache-store.ts';
import { silentLogger } from '../../kit/logger.ts';
import { createWebhookPipeline } from '../../kit/webhooks/webhook-pipeline.ts';
import { redisAvailable, REDIS_URL } from '../support/redis.ts';

const hasRedis = await redisAvailable();

/** A pipeline over `store` whose processing fails while `failing` is set, and takes `slowMs` when set. */
function pipelineOver(store: CacheStore, acknowledgeWithinMs?: number) {
  const state = { failing: false, slowMs: 0, processed: [] as string[] };
  const namespace = `test-webhooks-${randomUUID()}`;
  const pipeline = createWebhookPipeline<{ id: string }>({
    path: '/webhooks/test',
    provider: 'test',
    logger: silentLogger,
    verify: ({ rawBody }) => ({ id: rawBody.toString('utf8') }),
    eventId: (event) => event.id,
    claim: (id) => store.claim(namespace, id, 60_000),
    release: (id) => store.releaseClaim(namespace, id),
    acknowledgeWithinMs,
    async process(event) {
      if (state.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, state.slowMs));
      if (state.failing) throw new Error('event bus unreachable');
      state.processed.push(event.id);
    },
  });
  const deliver = (id: string) => pipeline.handle({ rawBody: Buffer.from(id), headers: {}, query: new URLSearchParams() });
  return { pipeline, state, deliver };
}

describe.each([
  { store: 'memory', skip: false },
  { store: 'redis', skip: !hasRedis },
])('a provider webhook whose processing fails ($store claims)', ({ store: kind, skip }) => {
  let store: CacheStore;
  beforeAll(async () => {
    if (skip) return;
    store = kind === 'memory' ? createMemoryCacheStore() : await createRedisCacheStore({ url: REDIS_URL, keyPrefix: `fgw-test-${randomUUID()}`, logger: silentLogger });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(skip)('is answered 503 with its claim given back, so the provider’s redelivery is processed once', async () => {
    const { state, deliver } = pipelineOver(store);
    state.failing = true;
    expect(await deliver('evt_1')).toMatchObject({ status: 503 });
    state.failing = false;
    expect(await deliver('evt_1')).toEqual({ status: 200, body: { received: true } });
    expect(await deliver('evt_1')).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(state.processed).toEqual(['evt_1']);
  });

  it.skipIf(skip)('is acknowledged anyway when processing outlasts the acknowledgement budget, and still finishes', async () => {
    const { pipeline, state, deliver } = pipelineOver(store, 20);
    state.slowMs = 150;
    expect(await deliver('evt_slow')).toEqual({ status: 200, body: { received: true } });
    expect(state.processed).toEqual([]);
    await pipeline.drain();
    expect(state.processed).toEqual(['evt_slow']);
  });
});
