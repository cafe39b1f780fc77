import { randomUUID } from 'node:crypto';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { createRedisCacheStore } from '../../kit/cache/redis-cache-store.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { sessionOf } from '../../gateway/auth/principal.ts';
import { mayHaveChangedData, mutationFieldKeys, selectsRootField } from '../../gateway/execute/response-cache.ts';
import { getOperationAST, parse } from 'graphql';
import { signedTestDelivery } from '../../subgraphs/stripe/test-delivery.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { useLiveApp } from '../support/live-app.ts';
import { redisAvailable, REDIS_URL } from '../support/redis.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { adminHeaders, authorization, signTestToken } from '../support/tokens.ts';
import { collect, wsClient } from '../support/ws-client.ts';

const live = useLiveApp({ RESPONSE_CACHE_TTL_SECONDS: '60' });

const metricsText = async () => (await fetch(live.app.gateway.url.replace(/\/graphql$/, '/metrics'))).text();

/** Provider cache lookups the subgraphs made so far: an answer computed anew makes some, a cached one none. */
async function subgraphLookups(): Promise<number> {
  return [...(await metricsText()).matchAll(/^fgw_cache_lookups_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** fgw_response_cache_total for one event. */
async function responseCacheCount(event: 'hit' | 'miss' | 'purge'): Promise<number> {
  return Number((await metricsText()).match(new RegExp(`^fgw_response_cache_total\\{event="${event}"\\} (\\d+)$`, 'm'))?.[1] ?? 0);
}

/**
 * Asks until the answer comes from the cache. An accepted webhook forgets every entry, and at start-up the
 * S3 emulator's SNS topic confirms its subscription through one, so the first answer may not be kept.
 */
async function untilCached(query: string, headers: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await postGraphQL(live.app.gateway.url, query, undefined, headers)).headers.get('age') !== null) return;
  }
  throw new Error('the answer was never served from the cache');
}

const NEWEST_CUSTOMER = /* GraphQL */ `{ customers(first: 1) { nodes { id email } } }`;
const MY_CUSTOMER = /* GraphQL */ `{ viewer { customer { id name } } }`;
const ada = { sub: 'ada', scope: 'payments:read', customer: 'cus_Qm3vT8rLx2NcAe' };
const brightline = { sub: 'brightline', scope: 'payments:read', customer: 'cus_R7kPzW4hYs1DuG' };

describe('the response cache (RESPONSE_CACHE_TTL_SECONDS)', () => {
  it('answers a repeated query from the cache: same data, no subgraph work, an Age header', async () => {
    const headers = await authorization(ada);
    const first = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, headers);
    expect(first.headers.get('age')).toBeNull();
    expect(first.body.data).toEqual({ viewer: { customer: { id: 'cus_Qm3vT8rLx2NcAe', name: 'Ada Okafor' } } });
    await untilCached(MY_CUSTOMER, headers);
    const before = await subgraphLookups();
    const [hits, misses] = [await responseCacheCount('hit'), await responseCacheCount('miss')];
    const hit = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, headers);
    expect(hit.body).toEqual(first.body);
    expect(hit.headers.get('age')).toMatch(/^\d+$/);
    expect(await subgraphLookups()).toBe(before);
    expect([await responseCacheCount('hit'), await responseCacheCount('miss')]).toEqual([hits + 1, misses]);
  });

  it("never gives one caller's cached answer to another, even for the same document", async () => {
    const adas = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, await authorization(ada));
    const before = await subgraphLookups();
    const brightlines = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, await authorization(brightline));
    expect(adas.body.data).toEqual({ viewer: { customer: { id: 'cus_Qm3vT8rLx2NcAe', name: 'Ada Okafor' } } });
    expect(brightlines.body.data).toEqual({ viewer: { customer: { id: 'cus_R7kPzW4hYs1DuG', name: 'Brightline Logistics' } } });
    expect(brightlines.headers.get('age')).toBeNull();
    expect(await subgraphLookups()).toBeGreaterThan(before);
  });

  it('tells a mutation that may have changed something from one refused outright, or one that ran nothing', () => {
    const refused = (code: string) => ({ message: 'no', extensions: { code } });
    const fields = (...keys: string[]) => new Set(keys);
    expect(mayHaveChangedData({ data: { createCustomer: { id: 'cus_1' } } }, fields('createCustomer'))).toBe(true);
    expect(mayHaveChangedData({ data: { a: null, b: { id: 'x' } }, errors: [refused('FORBIDDEN')] }, fields('a', 'b'))).toBe(true);
    expect(mayHaveChangedData({ data: null, errors: [refused('INTERNAL_SERVER_ERROR')] }, fields('a'))).toBe(true);
    expect(mayHaveChangedData({ data: { a: null }, errors: [refused('PROVIDER_UNAVAILABLE'), refused('FORBIDDEN')] }, fields('a'))).toBe(true);
    expect(mayHaveChangedData({ data: null, errors: [refused('FORBIDDEN')] }, fields('a'))).toBe(false);
    expect(mayHaveChangedData({ data: { a: null, b: null }, errors: [refused('UNAUTHENTICATED'), refused('FORBIDDEN')] }, fields('a', 'b'))).toBe(false);
    // `mutation { __typename }`, aliased or not, runs no mutation field.
    const keysOf = (source: string) => {
      const document = parse(source);
      return mutationFieldKeys(document, getOperationAST(document)!);
    };
    expect(keysOf('mutation { __typename t: __typename }')).toEqual(new Set());
    expect(mayHaveChangedData({ data: { __typename: 'Mutation', t: 'Mutation' } }, keysOf('mutation { __typename t: __typename }'))).toBe(false);
    expect(keysOf('mutation { __typename c: createCustomer(input: {}) { id } ...M } fragment M on Mutation { d: deleteCustomer(id: "1") }')).toEqual(new Set(['c', 'd']));
  });

  it('finds a live root field however the operation selects it', () => {
    const selects = (source: string) => {
      const document = parse(source);
      return selectsRootField(document, getOperationAST(document)!, new Set(['providerStatus']));
    };
    expect(selects('{ providerStatus { provider } }')).toBe(true);
    expect(selects('{ ... on Query { status: providerStatus { provider } } }')).toBe(true);
    expect(selects('query { ...Live } fragment Live on Query { providerStatus { provider } }')).toBe(true);
    expect(selects('{ viewer { id } customers(first: 1) { nodes { id } } }')).toBe(false);
    expect(selects('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A viewer { id } }')).toBe(false);
  });

  it('keys on everything that decides what a caller may see, whatever the order of their scopes', () => {
    const principal = { subject: 'ada', scopes: ['payments:read', 'social:read'], customerId: 'cus_Qm3vT8rLx2NcAe' };
    const session = sessionOf({ kind: 'user', principal });
    expect(sessionOf({ kind: 'user', principal: { ...principal, scopes: ['social:read', 'payments:read'] } })).toBe(session);
    for (const other of [
      { ...principal, subject: 'ada2' },
      { ...principal, scopes: ['payments:read'] },
      { ...principal, customerId: 'cus_R7kPzW4hYs1DuG' },
      { ...principal, githubLogin: 'adaokafor' },
      { ...principal, storagePrefix: 'customers/cus_Qm3vT8rLx2NcAe/' },
    ]) {
      expect(sessionOf({ kind: 'user', principal: other })).not.toBe(session);
    }
    expect(sessionOf({ kind: 'anonymous' })).toBeNull();
  });

  it('shows what a mutation changed in the next answer', async () => {
    const headers = await adminHeaders();
    await postGraphQL(live.app.gateway.url, NEWEST_CUSTOMER, undefined, headers);
    const email = `cache.${randomUUID().slice(0, 8)}@example.com`;
    const created = await postGraphQL<{ createCustomer: { id: string } }>(
      live.app.gateway.url,
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { name: 'Cache Test', email, idempotencyKey: randomUUID() } },
      headers,
    );
    expect(created.body.errors).toBeUndefined();
    const after = await postGraphQL<{ customers: { nodes: { id: string; email: string }[] } }>(live.app.gateway.url, NEWEST_CUSTOMER, undefined, headers);
    expect(after.body.data?.customers.nodes).toEqual([{ id: created.body.data?.createCustomer.id, email }]);
  });

  it('forgets nothing for a mutation refused outright, so nobody can empty the cache at will', async () => {
    const headers = await authorization(ada);
    await untilCached(MY_CUSTOMER, headers);
    const create = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';
    const input = () => ({ input: { name: 'Nobody', email: 'nobody@example.com', idempotencyKey: randomUUID() } });
    const anonymous = await postGraphQL(live.app.gateway.url, create, input());
    const notAllowed = await postGraphQL(live.app.gateway.url, create, input(), headers);
    expect([anonymous, notAllowed].map((r) => r.body.errors?.[0]?.extensions?.['code'])).toEqual(['UNAUTHENTICATED', 'FORBIDDEN']);
    expect((await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, headers)).headers.get('age')).not.toBeNull();
  });

  it('never keeps providerStatus, which must be live', async () => {
    const headers = await adminHeaders();
    const query = '{ providerStatus { provider } }';
    await postGraphQL(live.app.gateway.url, query, undefined, headers);
    const again = await postGraphQL(live.app.gateway.url, query, undefined, headers);
    expect(again.body.errors).toBeUndefined();
    expect(again.headers.get('age')).toBeNull();
  });

  it('forgets cached answers after a verified provider webhook', async () => {
    const headers = await authorization(ada);
    await untilCached(MY_CUSTOMER, headers);
    const delivery = signedTestDelivery({ type: 'customer.updated', secret: STRIPE_EMULATOR_WEBHOOK_SECRET });
    const forged = await fetch(live.app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe'), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, body: delivery.body });
    expect(forged.status).toBe(400);
    const kept = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, headers);
    expect(kept.headers.get('age')).not.toBeNull();

    const accepted = await fetch(live.app.gateway.url.replace(/\/graphql$/, '/webhooks/stripe'), { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(accepted.status).toBe(200);
    const before = await subgraphLookups();
    const fresh = await postGraphQL(live.app.gateway.url, MY_CUSTOMER, undefined, headers);
    expect(fresh.headers.get('age')).toBeNull();
    expect(await subgraphLookups()).toBeGreaterThan(before);
  });

  it('keeps no answer that carries errors: a partly refused query is computed anew each time', async () => {
    const headers = await authorization(ada);
    const query = '{ viewer { customer { id } } providerStatus { provider } }';
    const first = await postGraphQL(live.app.gateway.url, query, undefined, headers);
    expect(first.body.errors?.map((e) => e.extensions?.['code'])).toContain('FORBIDDEN');
    const before = await subgraphLookups();
    const second = await postGraphQL(live.app.gateway.url, query, undefined, headers);
    expect(second.headers.get('age')).toBeNull();
    expect(await subgraphLookups()).toBeGreaterThan(before);
  });
});

describe('the response cache in front of a subgraph that sends no webhooks', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway({ responseCacheTtlSeconds: 60 });
  });
  afterAll(async () => {
    await test?.close();
  });
  const ask = async (query: string, claims: Record<string, unknown> = { sub: 'ada' }) => postGraphQL<Record<string, number>>(test.gateway.url, query, undefined, await authorization(claims));

  it('answers a repeated query without calling the subgraph, and forgets it when a mutation goes through', async () => {
    expect((await ask('{ counter }')).body.data).toEqual({ counter: 0 });
    const reads = test.stats.counterReads;
    const hit = await ask('{ counter }');
    expect(hit.body.data).toEqual({ counter: 0 });
    expect(hit.headers.get('age')).not.toBeNull();
    expect(test.stats.counterReads).toBe(reads);

    expect((await ask('mutation { increment }')).body.data).toEqual({ increment: 1 });
    expect((await ask('{ counter }')).body.data).toEqual({ counter: 1 });
    expect(test.stats.counterReads).toBe(reads! + 1);
  });

  it('forgets too when the mutation came over WebSocket', async () => {
    const query = '{ counter ws: counter }';
    await ask(query);
    const cached = await ask(query);
    expect(cached.headers.get('age')).not.toBeNull();
    const socket = wsClient(test.gateway.wsUrl, { token: await signTestToken({ sub: 'ada' }) });
    try {
      const [result] = await collect(socket, 'mutation { increment }');
      expect(result?.errors).toBeUndefined();
    } finally {
      await socket.dispose();
    }
    const after = await ask(query);
    expect(after.headers.get('age')).toBeNull();
    expect(after.body.data).toEqual({ counter: cached.body.data!['counter']! + 1, ws: cached.body.data!['counter']! + 1 });
  });

  it('keeps nothing for anonymous callers', async () => {
    const anonymous = () => postGraphQL<{ counter: number }>(test.gateway.url, '{ counter }');
    await anonymous();
    const reads = test.stats.counterReads;
    const again = await anonymous();
    expect(again.headers.get('age')).toBeNull();
    expect(test.stats.counterReads).toBe(reads! + 1);
  });
});

const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis)('one response cache across replicas sharing Redis', () => {
  const logger = createLogger({ level: 'silent', name: 'test' });
  const replicas: TestGateway[] = [];
  const stores: CacheStore[] = [];
  let neighbour: CacheStore;
  beforeAll(async () => {
    const keyPrefix = `fgw-test-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const store = await createRedisCacheStore({ url: REDIS_URL, keyPrefix, logger });
      stores.push(store);
      replicas.push(await startTestGateway({ responseCacheTtlSeconds: 60, sharedCacheStore: store }));
    }
    // Another deployment on the same Redis: a purge must never reach its keys.
    neighbour = await createRedisCacheStore({ url: REDIS_URL, keyPrefix: `fgw-test-${randomUUID()}`, logger });
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await Promise.all([...stores, neighbour].map((s) => s?.close()));
  });

  it("serves replica A's answer on replica B, and a mutation on B makes A forget it, and nothing else", async () => {
    const [a, b] = replicas as [TestGateway, TestGateway];
    const headers = await authorization({ sub: 'ada' });
    await neighbour.namespace('responses').set('kept', 'yes');
    expect((await postGraphQL(a.gateway.url, '{ counter }', undefined, headers)).body.data).toEqual({ counter: 0 });
    const fromB = await postGraphQL(b.gateway.url, '{ counter }', undefined, headers);
    expect(fromB.body.data).toEqual({ counter: 0 });
    expect(fromB.headers.get('age')).not.toBeNull();
    expect(b.stats.counterReads ?? 0).toBe(0);

    await postGraphQL(b.gateway.url, 'mutation { increment }', undefined, headers);
    const readsOnA = a.stats.counterReads!;
    const again = await postGraphQL(a.gateway.url, '{ counter }', undefined, headers);
    expect(again.headers.get('age')).toBeNull();
    expect(a.stats.counterReads).toBe(readsOnA + 1);
    expect(await neighbour.namespace('responses').get('kept')).toBe('yes');
  });
});
