import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { emulatorRequests, emulatorUrl, startTestApp, totalRequests } from '../support/app.ts';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-client.ts';
import { adminHeaders } from '../support/tokens.ts';

/**
 * Chaos through the gateway: the emulators inject faults (seeded, so every run is the same) and the
 * gateway must keep answering with what it can. Each case prints what it sent and what it saw.
 */
const PROVIDERS = ['stripe', 'github', 'twitter', 's3'];
const ENV = {
  PROVIDER_TIMEOUT_MS: '800',
  BREAKER_FAILURE_RATIO: '0.2',
  BREAKER_WINDOW_MS: '2000',
  BREAKER_MIN_RPS: '2',
  BREAKER_HALF_OPEN_MS: '400',
  // Entries age in milliseconds, so that every request reaches the providers (and stale serving shows).
  CACHE_TTL_SCALE: '0.00001',
  // The per-principal rate limit is not what this suite is about.
  RATE_LIMIT_PER_SECOND: '0',
};

let app: RunningApp;
let headers: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp(ENV);
  headers = await adminHeaders();
});
afterAll(async () => {
  await app?.close();
});
afterEach(async () => {
  await Promise.all(PROVIDERS.map((p) => fetch(`${emulatorUrl(app, p)}/_emulator/faults`, { method: 'DELETE' })));
});

const setFaults = async (provider: string, profile: Record<string, unknown>) => {
  const response = await fetch(`${emulatorUrl(app, provider)}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  expect(response.status).toBeLessThan(300);
};
const upstreamCalls = async () => Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, totalRequests(await emulatorRequests(app, p))] as const)));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Timed {
  response: GraphQLResponse;
  ms: number;
}

/** Sends `count` operations one after another and prints the case's figures. */
async function runCase(name: string, count: number, query: (i: number) => string): Promise<Timed[] & { calls: Record<string, number> }> {
  const before = await upstreamCalls();
  const results: Timed[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await postGraphQL(app.gateway.url, query(i), undefined, headers);
    results.push({ response, ms: performance.now() - started });
  }
  const after = await upstreamCalls();
  const codes: Record<string, number> = {};
  for (const { response } of results) for (const error of response.body.errors ?? []) codes[String(error.extensions?.['code'])] = (codes[String(error.extensions?.['code'])] ?? 0) + 1;
  const calls = Object.fromEntries(PROVIDERS.map((p) => [p, after[p]! - before[p]!]));
  console.log(
    `[chaos] ${name}: ${count} requests; upstream calls ${JSON.stringify(calls)}; errors ${JSON.stringify(codes)}; ` +
      `HTTP ${[...new Set(results.map((r) => r.response.status))].join(',')}; slowest ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms`,
  );
  return Object.assign(results, { calls });
}

const metric = async (line: RegExp) => {
  const text = await (await fetch(app.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(line.exec(text)?.[1] ?? 0);
};

describe('chaos, reproducible by seed', () => {
  it('30% GitHub 5xx with latency spikes: always HTTP 200, partial data, the breaker opens, then closes', async () => {
    await setFaults('github', { seed: 7, errorRate: 0.3, errorStatuses: [502, 503], latencyMs: 10, jitterMs: 150 });
    const results = await runCase('30% 5xx', 60, (i) => `query Chaos${i % 3} { customers(first: 20) { nodes { id name github { login name } } } }`);
    for (const { response } of results) {
      expect(response.status).toBe(200);
      const nodes = (response.body.data as { customers: { nodes: { id: string; name: string }[] } }).customers.nodes;
      expect(nodes).toHaveLength(20);
      for (const error of response.body.errors ?? []) {
        expect(error.path?.slice(-1)).toEqual(['github']);
        expect(['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT']).toContain(error.extensions?.['code']);
      }
    }
    expect(await metric(/fgw_breaker_transitions_total\{provider="github",to="open"\} (\d+)/)).toBeGreaterThan(0);

    // The outage ends: after the half-open delay one trial call succeeds and the breaker closes.
    await fetch(`${emulatorUrl(app, 'github')}/_emulator/faults`, { method: 'DELETE' });
    await pause(500);
    const recovered = await runCase('recovered', 3, () => `{ customers(first: 20) { nodes { github { login name } } } }`);
    expect(recovered.at(-1)!.response.body.errors).toBeUndefined();
    expect(await metric(/fgw_breaker_state\{provider="github"\} (\d+)/)).toBe(0);
  });

  it('X hanging: the query returns within the timeout budget with everyone else’s data', async () => {
    await setFaults('twitter', { seed: 3, hangRate: 1 });
    const ada = seedCustomers[0]!;
    const { response, ms } = (await runCase('X hangs', 1, () => `{ customer(id: "${ada.id}") { name github { login name } twitter { username name } } }`))[0]!;
    expect(response.status).toBe(200);
    expect(ms).toBeLessThan(2500);
    expect(response.body.data).toMatchObject({ customer: { name: ada.name, github: { login: ada.githubLogin, name: expect.any(String) } } });
    expect(response.body.errors!.length).toBeGreaterThan(0);
    for (const error of response.body.errors!) {
      expect(error.path?.slice(0, 2)).toEqual(['customer', 'twitter']);
      expect(error.extensions?.['code']).toBe('PROVIDER_TIMEOUT');
    }
  });

  // One bound for a Stripe call, the SDK's own retries included (PROVIDER_TIMEOUT_MS, 800 ms here).
  it('Stripe hanging: one attempt, cut at the bound, PROVIDER_TIMEOUT, everyone else’s data', async () => {
    await setFaults('stripe', { seed: 3, hangRate: 1 });
    const { response, ms, calls } = await runCase('Stripe hangs', 1, () => '{ products(first: 7, active: false) { nodes { id } } githubUser(login: "dsokolov") { login } }').then((r) => ({ ...r[0]!, calls: r.calls }));
    expect(response.status).toBe(200);
    expect(ms).toBeLessThan(2000);
    // A timed-out attempt is not retried by the SDK: it would only wait again.
    expect(calls['stripe']).toBe(1);
    expect(response.body.data).toEqual({ products: null, githubUser: { login: 'dsokolov' } });
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['products'], 'PROVIDER_TIMEOUT']]);
  });

  it('Stripe failing: the SDK retries only while the call’s time lasts', async () => {
    await setFaults('stripe', { seed: 3, errorRate: 1, errorStatuses: [503] });
    const { response, calls } = await runCase('Stripe 503', 1, () => '{ products(first: 8, active: false) { nodes { id } } }').then((r) => ({ ...r[0]!, calls: r.calls }));
    // stripe-node waits 0.5 s before its first retry and 0.5–1 s before its second: the second retry would
    // start after the 800 ms the call has, so it is never sent.
    expect(calls['stripe']).toBe(2);
    expect(response.body.data).toEqual({ products: null });
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['products'], 'PROVIDER_TIMEOUT']]);
  });

  it('X asking to wait longer than the call has: RATE_LIMITED at once, not a retry that runs out of time', async () => {
    await setFaults('twitter', { seed: 3, rateLimitRate: 1, retryAfterSeconds: 1 });
    const { response, ms, calls } = await runCase('X 429, wait > bound', 1, () => '{ twitterUser(username: "hirotanaka") { name } }').then((r) => ({ ...r[0]!, calls: r.calls }));
    expect(calls['twitter']).toBe(1);
    expect(ms).toBeLessThan(800);
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['twitterUser'], 'RATE_LIMITED']]);
    expect(response.body.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThan(0);
  });

  it('serves stale data during an outage, and says which and since when', async () => {
    const query = '{ githubUser(login: "dsokolov") { login name } }';
    const fresh = await postGraphQL(app.gateway.url, query, undefined, headers);
    expect(fresh.body.errors).toBeUndefined();
    await pause(400); // past the (scaled) TTL, within the stale window
    await setFaults('github', { seed: 11, errorRate: 1, errorStatuses: [503] });
    const { response } = (await runCase('stale during outage', 1, () => query))[0]!;
    expect(response.body.data).toEqual(fresh.body.data);
    expect(response.body.errors).toBeUndefined();
    const stale = (response.body as { extensions?: { stale?: { provider: string; kind: string; id: string; since: string }[] } }).extensions?.stale;
    expect(stale).toEqual([{ provider: 'github', kind: 'user', id: 'dsokolov', since: expect.any(String) }]);
    expect(Date.parse(stale![0]!.since)).toBeLessThan(Date.now());
  });

  it('a payment intent created while Stripe fails after committing exists exactly once', async () => {
    const customer = seedCustomers[5]!;
    const count = async () => {
      const response = await postGraphQL<{ customer: { paymentIntents: { nodes: unknown[] } } }>(app.gateway.url, `{ customer(id: "${customer.id}") { paymentIntents(first: 100) { nodes { id } } } }`, undefined, headers);
      return response.body.data!.customer.paymentIntents.nodes.length;
    };
    const before = await count();
    await setFaults('stripe', { failAfterCommit: { operation: 'POST /v1/payment_intents', times: 1 } });
    const { response } = (await runCase('fail after commit', 1, () =>
      `mutation { createPaymentIntent(input: { customerId: "${customer.id}", amount: 1999, currency: "usd", idempotencyKey: "chaos-commit-0001" }) { paymentIntent { id } } }`,
    ))[0]!;
    expect(response.body.errors).toBeUndefined();
    await pause(50);
    expect(await count()).toBe(before + 1);
  });

  it('a secondary rate-limit storm (GitHub\'s 403 with retry-after): learned from the first answer, no more calls, the breaker stays closed', async () => {
    await setFaults('github', { seed: 5, rateLimitRate: 1, retryAfterSeconds: 30 });
    const results = await runCase('rate-limit storm', 20, (i) => `{ githubUser(login: "adaokafor") { login } n${i}: githubRepository(owner: "adaokafor", name: "schema-lint") { stars } }`);
    // One request: its two GitHub calls learn to wait 30 s (the window itself is not spent); nothing more until then.
    expect(results.calls['github']).toBeLessThanOrEqual(2);
    for (const { response } of results) {
      expect(response.status).toBe(200);
      // Each GitHub field is RATE_LIMITED, unless a stale entry could be served instead (then `extensions.stale` says so).
      expect(response.body.errors?.length).toBeGreaterThan(0);
      for (const error of response.body.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'github' });
        expect(Number(error.extensions?.['retryAfter'])).toBeGreaterThan(0);
        expect(Number(error.extensions?.['retryAfter'])).toBeLessThanOrEqual(30);
      }
    }
    expect(await metric(/fgw_breaker_state\{provider="github"\} (\d+)/)).toBe(0);
    // This back-off lasts 30 s in this app: keep this case last.
  });
});
