import { afterEach, describe, expect, it } from 'vitest';
import { providers } from '../../app/providers.ts';
import { emulators } from '../../emulators/index.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { emulatorRequests, emulatorUrl, resetEmulatorRequests, totalRequests } from '../support/app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { useLiveApp } from '../support/live-app.ts';
import { adminHeaders, authorization } from '../support/tokens.ts';

/** Each provider's policy, counted at its emulator: who retries, how often, and what is never retried. */
const live = useLiveApp({ RATE_LIMIT_PER_SECOND: '0', CACHE_TTL_SCALE: '0.00001', PROVIDER_RETRIES: '2', BREAKER_MIN_RPS: '1000' });
const PROVIDERS = ['stripe', 'github', 'twitter', 's3'];
const faults = (provider: string, profile?: Record<string, unknown>) =>
  fetch(`${emulatorUrl(live.app, provider)}/_emulator/faults`, profile ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) } : { method: 'DELETE' });
const calls = async (provider: string) => totalRequests(await emulatorRequests(live.app, provider));
const ask = async (query: string) => postGraphQL(live.app.gateway.url, query, undefined, await adminHeaders());

afterEach(async () => {
  await Promise.all(PROVIDERS.map((p) => faults(p)));
  await Promise.all(PROVIDERS.map((p) => resetEmulatorRequests(live.app, p)));
});

describe('retries', () => {
  it('retries a failing GitHub query (Octokit does not), twice, then reports PROVIDER_UNAVAILABLE', async () => {
    await faults('github', { seed: 1, errorRate: 1, errorStatuses: [502] });
    const response = await ask('{ githubUser(login: "farahh") { name } }');
    expect(errorCodes(response)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await calls('github')).toBe(3);
  });

  it('never retries a GitHub mutation: a star must not happen twice', async () => {
    const ada = seedCustomers[0]!;
    await faults('github', { seed: 1, errorRate: 1, errorStatuses: [502], operations: ['mutation addStar'] });
    const response = await postGraphQL(
      live.app.gateway.url,
      'mutation { starGitHubRepository(nameWithOwner: "dsokolov/kv-bench") { stars } }',
      undefined,
      await authorization({ sub: 'ada', scope: 'social:write', github: ada.githubLogin }),
    );
    expect(errorCodes(response)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect((await emulatorRequests(live.app, 'github'))['mutation addStar'] ?? 1).toBe(1);
  });

  it('waits what a 429 asks (Retry-After) before retrying an X read, and gives up with RATE_LIMITED', async () => {
    await faults('twitter', { seed: 2, rateLimitRate: 1, retryAfterSeconds: 1, operations: ['GET /2/users/by'] });
    const started = performance.now();
    const response = await ask('{ twitterUser(username: "hirotanaka") { name } }');
    const elapsed = performance.now() - started;
    expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
    expect(await calls('twitter')).toBe(3); // 1 + PROVIDER_RETRIES, each after the 1 s X asked for
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  it('leaves Stripe’s and the AWS SDK’s own retries alone: never a second layer', async () => {
    await faults('stripe', { seed: 1, errorRate: 1, errorStatuses: [500] });
    const stripe = await ask(`{ customer(id: "${seedCustomers[7]!.id}") { name } }`);
    expect(errorCodes(stripe)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await calls('stripe')).toBe(3); // stripe-node: 1 + STRIPE_MAX_NETWORK_RETRIES (2)

    await faults('s3', { seed: 1, errorRate: 1, errorStatuses: [500] });
    const s3 = await ask('{ storedObject(bucket: "acme-assets", key: "docs/terms.pdf") { size } }');
    expect(errorCodes(s3)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await calls('s3')).toBe(3); // the AWS SDK: maxAttempts 3
  });
});

describe('request de-duplication', () => {
  it('makes identical concurrent reads from different requests once', async () => {
    await faults('github', { seed: 1, latencyMs: 300 });
    const query = '{ githubUser(login: "granitepeak") { name followers } }';
    const answers = await Promise.all(Array.from({ length: 5 }, () => ask(query)));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await calls('github')).toBe(1);
  });
});

describe('operations', () => {
  it('serves Prometheus metrics and reports each provider’s breaker', async () => {
    await ask('{ products(first: 1) { nodes { id } } }');
    const metrics = await (await fetch(live.app.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    for (const name of ['fgw_operations_total', 'fgw_upstream_calls_total', 'fgw_cache_lookups_total', 'fgw_breaker_state', 'fgw_open_subscriptions', 'fgw_webhooks_total']) {
      expect(metrics).toContain(name);
    }
    const ready = (await (await fetch(live.app.gateway.url.replace(/\/graphql$/, '/health/ready'))).json()) as { providers: Record<string, { breaker: string }>; cache: { ok: boolean } };
    expect(Object.keys(ready.providers).sort()).toEqual(providers.map((p) => p.name).sort());
    // The feature subgraphs (connections, webhooks) call no provider through a breaker of their own; the
    // others call an external service (an emulator here), each through its breaker.
    const external = providers.filter((p) => emulators[p.name]).map((p) => ready.providers[p.name]!);
    expect(external.length).toBeGreaterThan(0);
    expect(external.every((p) => p.breaker === 'closed')).toBe(true);
    const status = await ask('{ providerStatus { provider ok breaker } }');
    expect(status.body.data).toMatchObject({ providerStatus: expect.arrayContaining([{ provider: 'stripe', ok: true, breaker: 'closed' }]) });
  });
});
