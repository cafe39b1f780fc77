import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { graphql } from '@octokit/graphql';
import type { Agent } from 'node:http';
import Stripe from 'stripe';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { emulators } from '../../emulators/index.ts';
import { SEED_BUCKETS } from '../../emulators/s3/fixtures/seed.ts';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { FaultInjector, faultProfileFromEnv, FaultProfileError, type FaultProfile } from '../../emulators/shared/faults.ts';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';
import { startTwitterEmulator, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { baseUrlPlugin, clientSettingsFor } from '../../subgraphs/twitter/base-url-plugin.ts';
import { s3ClientFor } from '../../emulators/s3/client-for.ts';

const ADA_CUSTOMER = 'cus_Qm3vT8rLx2NcAe';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

async function setFaults(url: string, profile: unknown): Promise<Response> {
  return fetch(`${url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
}

async function faultStatus(url: string): Promise<{ profile: Record<string, unknown> | null; matched: number; injected: Record<string, number> }> {
  return (await (await fetch(`${url}/_emulator/faults`)).json()) as never;
}

describe('emulator fault injection', () => {
  let s3: S3Emulator;
  let stripe: StripeEmulator;
  let github: GitHubEmulator;
  let twitter: TwitterEmulator;
  let s3Client: S3Client;
  let stripeClient: Stripe;
  let gql: typeof graphql;
  let twitterClient: TwitterApi;
  const agents: Agent[] = [];

  const twitterGet = (path: string, init: RequestInit = {}) =>
    fetch(`${twitter.url}${path}`, { ...init, headers: { authorization: `Bearer ${twitter.bearerToken}` } });

  beforeAll(async () => {
    [s3, stripe, github, twitter] = await Promise.all([startS3Emulator(), startStripeEmulator(), startGitHubEmulator(), startTwitterEmulator()]);
    s3Client = s3ClientFor(s3, { maxAttempts: 1 });
    stripeClient = stripeClientFor(stripe, { maxNetworkRetries: 0 });
    gql = graphql.defaults({ baseUrl: github.url, headers: { authorization: `token ${github.token}` } });
    const settings = { plugins: [baseUrlPlugin(twitter.url)], ...clientSettingsFor(twitter.url) };
    if (settings.httpAgent) agents.push(settings.httpAgent);
    twitterClient = new TwitterApi(twitter.bearerToken, settings);
  }, 30_000);

  afterEach(() => {
    for (const emulator of [s3, stripe, github, twitter]) {
      emulator.faults.clear();
      emulator.requests.reset();
    }
  });

  afterAll(async () => {
    s3Client?.destroy();
    for (const agent of agents) agent.destroy();
    await Promise.all([s3?.close(), stripe?.close(), github?.close(), twitter?.close()]);
  });

  describe('determinism', () => {
    it('draws the same outcomes for the same seed and request sequence, and others for another seed', async () => {
      const profile = { seed: 42, errorRate: 0.4, errorStatuses: [500, 503], rateLimitRate: 0.2 };
      const run = async (seed: number): Promise<number[]> => {
        expect((await setFaults(twitter.url, { ...profile, seed })).status).toBe(204);
        const statuses: number[] = [];
        for (let i = 0; i < 24; i++) statuses.push((await twitterGet('/2/users/by/username/ada_builds')).status);
        return statuses;
      };
      const first = await run(42);
      const second = await run(42);
      expect(second).toEqual(first);
      expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
      expect(await run(43)).not.toEqual(first);
    });

    it('draws eight numbers per matching request whatever its outcome; requests that do not match draw none', () => {
      const profile: FaultProfile = {
        seed: 7,
        hangRate: 0.1,
        resetRate: 0.1,
        rateLimitRate: 0.1,
        errorRate: 0.1,
        latencyMs: 5,
        jitterMs: 20,
        failAfterCommitRate: 0.5,
        operations: ['POST /x'],
      };
      const outcomes = (injector: FaultInjector, noise: boolean) =>
        Array.from({ length: 200 }, (_, i) => {
          if (noise && i % 3 === 0) expect(injector.plan('GET /other', { write: false }).outcome).toBe('none');
          return injector.plan('POST /x', { write: true });
        });
      const plain = outcomes(new FaultInjector(profile), false);
      expect(outcomes(new FaultInjector(profile), true)).toEqual(plain);
      expect(new Set(plain.map((plan) => plan.outcome))).toEqual(new Set(['none', 'hang', 'reset', 'rateLimit', 'error']));
      expect(new Set(plain.map((plan) => plan.afterCommit))).toEqual(new Set(['none', 'reset', 'error']));
      expect(plain.every((plan) => plan.outcome !== 'none' || (plan.latencyMs >= 5 && plan.latencyMs <= 25))).toBe(true);
      expect(outcomes(new FaultInjector({ ...profile, seed: 8 }), false)).not.toEqual(plain);
    });
  });

  describe('errors in each provider’s format', () => {
    it('Stripe: an api_error the SDK surfaces as StripeAPIError', async () => {
      await setFaults(stripe.url, { errorRate: 1, errorStatuses: [500] });
      const error = (await rejectionOf(stripeClient.customers.retrieve(ADA_CUSTOMER))) as Stripe.errors.StripeError;
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error.statusCode).toBe(500);
      expect(error.rawType).toBe('api_error');
      expect(error.requestId).toMatch(/^req_/);
      expect(stripe.requests.count('GET /v1/customers/:id')).toBe(1); // faulted requests are counted
    });

    it('GitHub: { message, documentation_url } with the drawn status', async () => {
      await setFaults(github.url, { errorRate: 1, errorStatuses: [502] });
      const response = await fetch(`${github.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `token ${github.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { login } }' }),
      });
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ message: 'Bad Gateway', documentation_url: 'https://docs.github.com/graphql' });
      expect(github.requests.count('POST /graphql')).toBe(1);
    });

    it('X: a problem { title, detail, type, status } through twitter-api-v2', async () => {
      await setFaults(twitter.url, { errorRate: 1, errorStatuses: [503] });
      const error = await rejectionOf(twitterClient.v2.userByUsername('ada_builds'));
      expect(error).toBeInstanceOf(ApiResponseError);
      expect((error as ApiResponseError).code).toBe(503);
      expect((error as ApiResponseError).data).toEqual({ title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
    });

    it('S3: an XML <Error> with InternalError or ServiceUnavailable', async () => {
      await setFaults(s3.url, { errorRate: 1, errorStatuses: [503], operations: ['PutObject'] });
      const unavailable = await rejectionOf(s3Client.send(new PutObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'faults/x.txt', Body: 'x' })));
      expect(unavailable).toBeInstanceOf(S3ServiceException);
      expect((unavailable as S3ServiceException).name).toBe('ServiceUnavailable');
      expect((unavailable as S3ServiceException).$metadata.httpStatusCode).toBe(503);

      await setFaults(s3.url, { errorRate: 1, errorStatuses: [500] });
      const response = await fetch(`${s3.url}/${SEED_BUCKETS.assets}/anything`);
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>InternalError<\/Code><Message>.+<\/Message><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/);
    });
  });

  describe('rate limits', () => {
    it('GitHub: a secondary rate limit, 403 with Retry-After, the window itself not spent', async () => {
      await setFaults(github.url, { rateLimitRate: 1, retryAfterSeconds: 3 });
      const error = (await rejectionOf(gql('{ viewer { login } }'))) as { status: number; response: { headers: Record<string, string>; data: unknown } };
      expect(error.status).toBe(403);
      const headers = error.response.headers;
      expect(headers['retry-after']).toBe('3');
      expect(Number(headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
      expect(headers['x-ratelimit-reset']).toMatch(/^\d+$/);
      expect(error.response.data).toEqual({
        message: expect.stringMatching(/^You have exceeded a secondary rate limit\. .*request ID [0-9A-F:]+\.$/),
        documentation_url: expect.stringContaining('docs.github.com'),
      });
    });

    it('GitHub: a secondary rate limit without Retry-After (retryAfterSeconds 0), or as HTTP 200 with errors', async () => {
      await setFaults(github.url, { rateLimitRate: 1, retryAfterSeconds: 0 });
      const silent = (await rejectionOf(gql('{ viewer { login } }'))) as { status: number; response: { headers: Record<string, string> } };
      expect(silent.status).toBe(403);
      expect(silent.response.headers['retry-after']).toBeUndefined();

      github.secondaryRateLimit.status = 200;
      try {
        const answered = (await rejectionOf(gql('{ viewer { login } }'))) as { name: string; errors: { message: string }[] };
        expect(answered.name).toBe('GraphqlResponseError');
        expect(answered.errors).toEqual([{ message: expect.stringContaining('secondary rate limit') }]);
      } finally {
        github.secondaryRateLimit.status = 403;
      }
    });

    it('X: 429 Too Many Requests with x-rate-limit-* headers', async () => {
      await setFaults(twitter.url, { rateLimitRate: 1 });
      const error = (await rejectionOf(twitterClient.v2.userByUsername('ada_builds'))) as ApiResponseError;
      expect(error.code).toBe(429);
      expect(error.rateLimitError).toBe(true);
      expect(error.rateLimit).toMatchObject({ limit: 300, remaining: 0 });
      expect(error.headers['retry-after']).toBe('1');
      expect(error.data).toMatchObject({ title: 'Too Many Requests', status: 429 });
    });

    it('S3: throttles as S3 does, 503 SlowDown with Retry-After', async () => {
      await setFaults(s3.url, { rateLimitRate: 1, retryAfterSeconds: 2 });
      const response = await fetch(`${s3.url}/${SEED_BUCKETS.assets}/anything`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.text()).toContain('<Code>SlowDown</Code>');
    });

    it('Stripe: 429 rate_limit, StripeRateLimitError', async () => {
      await setFaults(stripe.url, { rateLimitRate: 1 });
      const error = (await rejectionOf(stripeClient.customers.list())) as Stripe.errors.StripeError;
      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error.code).toBe('rate_limit');
      expect(error.headers?.['retry-after']).toBe('1');
    });
  });

  describe('connections', () => {
    it('resets the connection without an answer', async () => {
      await setFaults(twitter.url, { resetRate: 1 });
      await expect(twitterGet('/2/users/by/username/ada_builds')).rejects.toThrow(TypeError);
      expect(twitter.requests.count('GET /2/users/by/username/:username')).toBe(1);
      expect((await faultStatus(twitter.url)).injected['reset']).toBe(1); // control endpoints are never faulted
    });

    it('hangs without answering; close() releases hanging requests and returns promptly', async () => {
      const extra = await startTwitterEmulator({ faults: { hangRate: 1 } });
      const started = performance.now();
      const timedOut = await rejectionOf(fetch(`${extra.url}/2/users/me`, { signal: AbortSignal.timeout(300) }));
      expect((timedOut as Error).name).toBe('TimeoutError');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);

      const stillHanging = rejectionOf(fetch(`${extra.url}/2/users/me`));
      while (extra.requests.count() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      const closing = performance.now();
      await extra.close();
      expect(performance.now() - closing).toBeLessThan(500);
      expect(await stillHanging).toBeInstanceOf(TypeError);
    });

    it('adds latency plus jitter before the real answer', async () => {
      await setFaults(github.url, { latencyMs: 150, jitterMs: 30 });
      const started = performance.now();
      const result = await gql<{ viewer: { login: string } }>('{ viewer { login } }');
      const elapsed = performance.now() - started;
      expect(result.viewer.login).toBeTruthy();
      expect(elapsed).toBeGreaterThanOrEqual(149);
      expect((await faultStatus(github.url)).injected['latency']).toBe(1);
    });

    it("answers a read no sooner than its latency after it arrived (the emulator's work inside it)", async () => {
      await setFaults(stripe.url, { latencyMs: 120 });
      await setFaults(twitter.url, { latencyMs: 120 });
      const started = performance.now();
      const [customers, user] = await Promise.all([stripeClient.customers.list({ limit: 3 }), twitterClient.v2.userByUsername('ada_builds')]);
      expect(customers.data).toHaveLength(3);
      expect(user.data.username).toBe('ada_builds');
      expect(performance.now() - started).toBeGreaterThanOrEqual(119);
      expect((await faultStatus(stripe.url)).injected['latency']).toBe(1);
      expect((await faultStatus(twitter.url)).injected['latency']).toBe(1);
    });

    it('carries out a write only once its latency has passed', async () => {
      await setFaults(stripe.url, { latencyMs: 300 });
      const email = `latency-${randomUUID()}@example.com`;
      const created = (): boolean => stripe.events.list().some((event) => event.type === 'customer.created' && (event.data.object as { email?: string }).email === email);
      const creating = stripeClient.customers.create({ email });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(created()).toBe(false);
      expect((await creating).email).toBe(email);
      expect(created()).toBe(true);
    });
  });

  describe('fail after commit', () => {
    it('S3: stores the object, then loses the answer', async () => {
      await setFaults(s3.url, { failAfterCommitRate: 1, operations: ['PutObject'] });
      const key = 'faults/committed.txt';
      await expect(s3Client.send(new PutObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: key, Body: 'kept', ContentType: 'text/plain' }))).rejects.toThrow();
      const head = await s3Client.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: key }));
      expect(head.ContentLength).toBe(4);
      expect((await faultStatus(s3.url)).injected).toMatchObject({ failAfterCommit: 1 });
    });

    it('GitHub: only mutations match `mutation addStar`; the star stands although its answer is lost', async () => {
      const read = '{ repository(owner: "ilarsen", name: "fjord-weather") { id viewerHasStarred } }';
      const { repository } = await gql<{ repository: { id: string; viewerHasStarred: boolean } }>(read);
      expect(repository.viewerHasStarred).toBe(false);
      await setFaults(github.url, { failAfterCommitRate: 1, errorRate: 1, operations: ['mutation addStar'] });

      expect((await gql<{ repository: { viewerHasStarred: boolean } }>(read)).repository.viewerHasStarred).toBe(false); // a query: not faulted
      const params = { id: repository.id };
      await expect(gql('mutation Star($id: ID!) { addStar(input: { starrableId: $id }) { clientMutationId } }', params)).rejects.toThrow();
      expect(github.requests.count('mutation addStar')).toBe(0); // errorRate 1 answered first, nothing ran

      await setFaults(github.url, { failAfterCommitRate: 1, operations: ['mutation addStar'] });
      await expect(gql('mutation Star($id: ID!) { addStar(input: { starrableId: $id }) { clientMutationId } }', params)).rejects.toThrow();
      expect(github.requests.count('mutation addStar')).toBe(1);
      expect((await gql<{ repository: { viewerHasStarred: boolean } }>(read)).repository.viewerHasStarred).toBe(true);
      await gql('mutation Unstar($id: ID!) { removeStar(input: { starrableId: $id }) { clientMutationId } }', params);
    });
  });

  describe('operations filter', () => {
    it('faults only the operations named', async () => {
      await setFaults(stripe.url, { errorRate: 1, operations: ['GET /v1/customers/:id'] });
      expect((await stripeClient.customers.list({ limit: 1 })).data).toHaveLength(1);
      await expect(stripeClient.customers.retrieve(ADA_CUSTOMER)).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
      const status = await faultStatus(stripe.url);
      expect(status.matched).toBe(1);
      expect(status.injected['error']).toBe(1);
    });
  });

  describe('control endpoints', () => {
    it('GET shows the profile with its defaults and the counters; DELETE clears both', async () => {
      expect((await setFaults(twitter.url, { errorRate: 1, retryAfterSeconds: 4 })).status).toBe(204);
      for (let i = 0; i < 3; i++) expect((await twitterGet('/2/users/by/username/ada_builds')).status).toBeGreaterThanOrEqual(500);
      expect(await faultStatus(twitter.url)).toEqual({
        profile: {
          seed: 1,
          latencyMs: 0,
          jitterMs: 0,
          errorRate: 1,
          errorStatuses: [500, 502, 503],
          rateLimitRate: 0,
          retryAfterSeconds: 4,
          resetRate: 0,
          hangRate: 0,
          failAfterCommitRate: 0,
        },
        matched: 3,
        injected: { hang: 0, reset: 0, rateLimit: 0, error: 3, latency: 0, failAfterCommit: 0 },
        failAfterCommit: {},
        delay: {},
        rateLimit: {},
      });

      expect((await fetch(`${twitter.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
      expect(await faultStatus(twitter.url)).toMatchObject({ profile: null, matched: 0, injected: { error: 0 } });
      expect((await twitterGet('/2/users/by/username/ada_builds')).status).toBe(200);
    });

    it('refuses unknown fields and invalid values with 400, naming them', async () => {
      const unknown = await setFaults(s3.url, { errorRate: 0.5, bogus: 1, latncyMs: 3 });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: string }).error).toBe('unknown fields: bogus, latncyMs');

      const invalid = await setFaults(github.url, { errorRate: 2, errorStatuses: [] });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: string }).error).toMatch(/errorRate: .*; errorStatuses: /);

      expect((await setFaults(stripe.url, 'not an object')).status).toBe(400);
      expect((await fetch(`${stripe.url}/_emulator/faults`, { method: 'POST', body: '{' })).status).toBe(400);
      expect(stripe.faults.profile()).toBeUndefined();
    });

    it('one-shot faults (Stripe’s original switch) work on every emulator', async () => {
      expect((await setFaults(twitter.url, { rateLimit: { operation: 'GET /2/users/by/username/:username', times: 1 } })).status).toBe(204);
      expect((await twitterGet('/2/users/by/username/ada_builds')).status).toBe(429);
      expect((await twitterGet('/2/users/by/username/ada_builds')).status).toBe(200);
    });
  });

  describe('environment', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('reads EMULATOR_FAULTS, overridden per emulator by EMULATOR_FAULTS_<NAME>', () => {
      const env = { EMULATOR_FAULTS: '{"errorRate":0.5}', EMULATOR_FAULTS_S3: '{"hangRate":0.1}', EMULATOR_FAULTS_GITHUB: ' ' };
      expect(faultProfileFromEnv('S3', env)).toEqual({ hangRate: 0.1 });
      expect(faultProfileFromEnv('GITHUB', env)).toEqual({ errorRate: 0.5 });
      expect(faultProfileFromEnv('STRIPE', {})).toBeUndefined();
      expect(() => faultProfileFromEnv('TWITTER', { EMULATOR_FAULTS_TWITTER: '{"errorRat":1}' })).toThrow(
        new FaultProfileError('EMULATOR_FAULTS_TWITTER: unknown field: errorRat'),
      );
      expect(() => faultProfileFromEnv('TWITTER', { EMULATOR_FAULTS: 'nope' })).toThrow(/^EMULATOR_FAULTS: expected a JSON fault profile/);
    });

    it('applies the profile at start through emulators/index.ts', async () => {
      vi.stubEnv('EMULATOR_FAULTS', JSON.stringify({ errorRate: 1, errorStatuses: [503] }));
      vi.stubEnv('EMULATOR_FAULTS_TWITTER', JSON.stringify({ rateLimitRate: 1, retryAfterSeconds: 5 }));
      const [x, payments] = await Promise.all([emulators['twitter']!.start({ host: '127.0.0.1', port: 0 }), emulators['stripe']!.start({ host: '127.0.0.1', port: 0 })]);
      try {
        const limited = await fetch(`${x.url}/2/users/me`);
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toBe('5');
        expect((await faultStatus(x.url)).profile).toMatchObject({ rateLimitRate: 1, errorRate: 0 });

        const failed = await fetch(`${payments.url}/v1/customers`);
        expect(failed.status).toBe(503);
        expect(await failed.json()).toMatchObject({ error: { type: 'api_error' } });
      } finally {
        await Promise.all([x.close(), payments.close()]);
      }
    });

    it('refuses to start with an invalid profile, naming the variable', async () => {
      vi.stubEnv('EMULATOR_FAULTS_GITHUB', '{"hangRate":"often"}');
      await expect(emulators['github']!.start({ host: '127.0.0.1', port: 0 })).rejects.toThrow(/^EMULATOR_FAULTS_GITHUB: hangRate: /);
    });
  });
});
