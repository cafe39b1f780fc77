import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { createRedisCacheStore } from '../../kit/cache/redis-cache-store.ts';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { redisAvailable, REDIS_URL } from '../support/redis.ts';
import { startTestGateway, TEST_SUBGRAPH_ACCESS, type TestGateway } from '../support/test-gateway.ts';
import { signTestToken } from '../support/tokens.ts';
import { refusal, wsClient } from '../support/ws-client.ts';

const RATE = { burst: 3, perSecond: 0.2 };
const bearer = async (sub: string) => ({ authorization: `Bearer ${await signTestToken({ sub })}` });

describe('per-principal rate limit', () => {
  let stack: TestGateway;
  beforeAll(async () => {
    stack = await startTestGateway({ rateLimit: RATE });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers RATE_LIMITED with retryAfter and HTTP 429 once the burst is spent, for that principal only', async () => {
    const alice = await bearer('alice');
    for (let i = 0; i < RATE.burst; i++) expect((await postGraphQL(stack.gateway.url, '{ echo(text: "ok") }', undefined, alice)).status).toBe(200);
    const refused = await postGraphQL(stack.gateway.url, '{ echo(text: "one too many") }', undefined, alice);
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    const retryAfter = refused.body.errors![0]!.extensions!['retryAfter'] as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));

    const bob = await postGraphQL(stack.gateway.url, '{ echo(text: "bob is fine") }', undefined, await bearer('bob'));
    expect(bob.body).toEqual({ data: { echo: 'bob is fine' } });
  });

  it('counts every operation of a batch, and applies on WebSocket too', async () => {
    const carol = await bearer('carol');
    const batch = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...carol },
      body: JSON.stringify([{ query: '{ a: echo(text: "1") }' }, { query: '{ b: echo(text: "2") }' }, { query: '{ c: echo(text: "3") }' }]),
    });
    expect(batch.status).toBe(200);
    const ws = wsClient(stack.gateway.wsUrl, { token: carol.authorization.slice('Bearer '.length) });
    expect(await refusal(ws, '{ echo(text: "over ws") }')).toMatchObject([{ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }]);
    await ws.dispose();
  });
});

const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis)('one allowance across replicas sharing Redis', () => {
  const stacks: TestGateway[] = [];
  const stores: CacheStore[] = [];
  beforeAll(async () => {
    const keyPrefix = `fgw-test-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const store = await createRedisCacheStore({ url: REDIS_URL, keyPrefix, logger: createLogger({ level: 'silent', name: 'test' }) });
      stores.push(store);
      stacks.push(await startTestGateway({ rateLimit: RATE, sharedCacheStore: store, accessRules: TEST_SUBGRAPH_ACCESS }));
    }
  });
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses on replica B what the principal already spent on replica A', async () => {
    const dave = await bearer('dave');
    const statuses: number[] = [];
    for (let i = 0; i < RATE.burst + 1; i++) statuses.push((await postGraphQL(stacks[i % 2]!.gateway.url, '{ echo(text: "x") }', undefined, dave)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
