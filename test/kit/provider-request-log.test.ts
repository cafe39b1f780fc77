import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { GraphqlResponseError } from '@octokit/graphql';
import Stripe from 'stripe';
import { ApiResponseError } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulators } from '../../emulators/index.ts';
import { SEED_BUCKETS } from '../../emulators/s3/fixtures/seed.ts';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';
import { startTwitterEmulator, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { createGitHubClient, type GitHubGraphQL } from '../../subgraphs/github/client.ts';
import { githubConfigSchema, githubSettingsFromEnv, type GitHubSettings } from '../../subgraphs/github/config.ts';
import { readConfig } from '../../kit/config.ts';
import { createProviderRequestLog, MAX_PROVIDER_REQUEST_IDS, type ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { createQuotaTracker } from '../../kit/resilience/quota.ts';
import { createS3Client } from '../../subgraphs/s3/client.ts';
import { s3ConfigSchema, s3SettingsFromEnv } from '../../subgraphs/s3/config.ts';
import { createStripeClient } from '../../subgraphs/stripe/client.ts';
import { stripeConfigSchema, stripeSettingsFromEnv } from '../../subgraphs/stripe/config.ts';
import { createTwitterClients, type TwitterClients } from '../../subgraphs/twitter/client.ts';
import { twitterConfigSchema, twitterSettingsFromEnv } from '../../subgraphs/twitter/config.ts';

/** The rejection of `promise`, which must fail with an instance of `type`. */
async function rejectionOf<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await promise.then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  if (!outcome.failed) throw new Error('expected the call to fail');
  if (!(outcome.error instanceof type)) throw outcome.error;
  return outcome.error;
}

/** Lets the event loop turn, so that two runs' calls interleave. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ProviderRequestLog', () => {
  it('collects per run, and is a no-op outside any run', async () => {
    const log = createProviderRequestLog();
    log.record('req_outside');
    expect(log.current()).toEqual([]);

    const seen = await log.run(async () => {
      log.record('req_1');
      await tick();
      log.record(undefined);
      log.record(null);
      log.record('');
      log.record('req_2');
      log.record('req_1');
      return log.current();
    });
    expect(seen).toEqual(['req_1', 'req_2']);
    expect(log.current()).toEqual([]);
  });

  it('hands out copies, opens a fresh collection per run, nested ones included', () => {
    const log = createProviderRequestLog();
    log.run(() => {
      log.record('outer');
      log.current().push('tampered');
      expect(log.run(() => (log.record('inner'), log.current()))).toEqual(['inner']);
      expect(log.current()).toEqual(['outer']);
    });
  });

  it(`keeps the first ${MAX_PROVIDER_REQUEST_IDS} ids and ignores what is not an id`, () => {
    const log = createProviderRequestLog();
    log.run(() => {
      log.record('has space');
      log.record('x'.repeat(201));
      for (let i = 0; i < MAX_PROVIDER_REQUEST_IDS + 10; i++) log.record(`req_${i}`);
      expect(log.current()).toHaveLength(MAX_PROVIDER_REQUEST_IDS);
      expect(log.current().at(-1)).toBe(`req_${MAX_PROVIDER_REQUEST_IDS - 1}`);
    });
  });
});

describe('Stripe: the Request-Id of every answer, from the SDK response event', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  const log = createProviderRequestLog();

  beforeAll(async () => {
    emulator = await startStripeEmulator({ port: 0 });
    const settings = stripeSettingsFromEnv(readConfig(stripeConfigSchema, emulators['stripe']!.env(emulator.url)));
    if (!settings) throw new Error('no Stripe settings');
    stripe = createStripeClient(settings, log);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('records the id the answer carried, inside the run that made the call', async () => {
    const { ids, wire } = await log.run(async () => {
      const created = await stripe.customers.create({ email: 'audit@example.com' });
      const fetched = await stripe.customers.retrieve(created.id);
      return { ids: log.current(), wire: [created.lastResponse.requestId, fetched.lastResponse.requestId] };
    });
    expect(wire[0]).toMatch(/^req_\w+$/);
    expect(ids).toEqual(wire);
  });

  it('records the id of a refused call (404)', async () => {
    const { ids, error } = await log.run(async () => {
      const error = await rejectionOf(stripe.customers.retrieve('cus_missing'), Stripe.errors.StripeError);
      return { ids: log.current(), error };
    });
    expect(error.statusCode).toBe(404);
    expect(error.requestId).toMatch(/^req_\w+$/);
    expect(ids).toEqual([error.requestId]);
  });

  it('records the id of the answer a retried call finally got (an attempt that lost its answer has none)', async () => {
    emulator.requests.reset();
    emulator.faults.failAfterCommit('POST /v1/customers', 1);
    const { ids, created } = await log.run(async () => {
      const created = await stripe.customers.create({ email: 'retried@example.com' }, { idempotencyKey: 'audit-retried' });
      return { ids: log.current(), created };
    });
    expect(emulator.requests.count('POST /v1/customers')).toBe(2);
    expect(ids).toEqual([created.lastResponse.requestId]);
  });

  it('keeps two concurrent runs apart', async () => {
    const operation = () =>
      log.run(async () => {
        const wire: string[] = [];
        for (let i = 0; i < 3; i++) {
          const page = await stripe.customers.list({ limit: 1 });
          wire.push(page.lastResponse.requestId);
          await tick();
        }
        return { ids: log.current(), wire };
      });
    const [a, b] = await Promise.all([operation(), operation()]);
    expect(a.ids).toEqual(a.wire);
    expect(b.ids).toEqual(b.wire);
    expect(new Set([...a.ids, ...b.ids]).size).toBe(6);
    expect(log.current()).toEqual([]);
  });
});

/** GitHub's format: colon-separated uppercase hex. */
const GITHUB_REQUEST_ID = /^[0-9A-F]+(:[0-9A-F]+){4}$/;

describe('GitHub: X-GitHub-Request-Id, from the client fetch', () => {
  let emulator: GitHubEmulator;
  let settings: GitHubSettings;
  let gql: GitHubGraphQL;
  const log = createProviderRequestLog();

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ port: 0 });
    const fromEnv = githubSettingsFromEnv(readConfig(githubConfigSchema, emulators['github']!.env(emulator.url)));
    if (!fromEnv) throw new Error('no GitHub settings');
    settings = fromEnv;
    gql = createGitHubClient(settings, createQuotaTracker({ provider: 'github' }), log);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('records one id per answer, each in GitHub format and distinct', async () => {
    const ids = await log.run(async () => {
      const found = await gql<{ repository: { id: string } }>('query { repository(owner: "dsokolov", name: "fastjson-rs") { id } }');
      await gql('mutation Star($id: ID!) { addStar(input: { starrableId: $id }) { clientMutationId } }', { id: found.repository.id });
      return log.current();
    });
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(GITHUB_REQUEST_ID);
    expect(new Set(ids).size).toBe(2);
  });

  it('records the id of a GraphQL error answer and of a refused request (401)', async () => {
    const ids = await log.run(async () => {
      await rejectionOf(gql('query { repository(owner: "dsokolov", name: "no-such-repo") { id } }'), GraphqlResponseError);
      const refused = createGitHubClient({ ...settings, token: 'ghp_wrong' }, createQuotaTracker({ provider: 'github' }), log);
      // Octokit's RequestError (from a package this project does not depend on directly).
      const error = (await rejectionOf(refused('query { viewer { login } }'), Error)) as Error & { status?: number; response?: { headers: Record<string, string> } };
      expect(error.status).toBe(401);
      expect(error.response?.headers['x-github-request-id']).toBe(log.current()[1]);
      return log.current();
    });
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(GITHUB_REQUEST_ID);
  });

  it('keeps two concurrent runs apart', async () => {
    const operation = () =>
      log.run(async () => {
        for (let i = 0; i < 3; i++) {
          await gql('query { viewer { login } }');
          await tick();
        }
        return log.current();
      });
    const [a, b] = await Promise.all([operation(), operation()]);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(3);
    expect(new Set([...a, ...b]).size).toBe(6);
  });
});

/** X's transaction ids: 16 hex digits. */
const TRANSACTION_ID = /^[0-9a-f]{16}$/;

describe('X: x-transaction-id, from a client plugin', () => {
  let emulator: TwitterEmulator;
  let clients: TwitterClients;
  const log = createProviderRequestLog();

  beforeAll(async () => {
    emulator = await startTwitterEmulator({ port: 0 });
    const settings = twitterSettingsFromEnv(readConfig(twitterConfigSchema, emulators['twitter']!.env(emulator.url)));
    if (!settings) throw new Error('no X settings');
    clients = createTwitterClients(settings, createQuotaTracker({ provider: 'twitter' }), log);
  });

  afterAll(async () => {
    clients?.close();
    await emulator?.close();
  });

  it('records the id each answer carried', async () => {
    const { ids, wire } = await log.run(async () => {
      const user = await clients.reader.v2.get('users/by/username/ada_builds', undefined, { fullResponse: true });
      const posted = await clients.writer!.v2.post('tweets', { text: 'Audited, end to end' }, { fullResponse: true });
      return { ids: log.current(), wire: [user.headers['x-transaction-id'], posted.headers['x-transaction-id']] };
    });
    expect(ids).toEqual(wire);
    for (const id of ids) expect(id).toMatch(TRANSACTION_ID);
    expect(new Set(ids).size).toBe(2);
  });

  it('records the id of a failed call (404, 401)', async () => {
    const { ids, errors } = await log.run(async () => {
      const notFound = await rejectionOf(clients.reader.v2.get('no/such/endpoint'), ApiResponseError);
      const settings = { ...emulators['twitter']!.env(emulator.url), TWITTER_BEARER_TOKEN: 'wrong-token' };
      const refusedClients = createTwitterClients(twitterSettingsFromEnv(readConfig(twitterConfigSchema, settings))!, createQuotaTracker({ provider: 'twitter' }), log);
      try {
        const unauthorized = await rejectionOf(refusedClients.reader.v2.me(), ApiResponseError);
        return { ids: log.current(), errors: [notFound, unauthorized] };
      } finally {
        refusedClients.close();
      }
    });
    expect(errors.map((error) => error.code)).toEqual([404, 401]);
    expect(ids).toEqual(errors.map((error) => error.headers['x-transaction-id']));
    for (const id of ids) expect(id).toMatch(TRANSACTION_ID);
  });

  it('keeps two concurrent runs apart', async () => {
    const operation = (username: string) =>
      log.run(async () => {
        const wire: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          wire.push((await clients.reader.v2.get(`users/by/username/${username}`, undefined, { fullResponse: true })).headers['x-transaction-id']);
          await tick();
        }
        return { ids: log.current(), wire };
      });
    const [a, b] = await Promise.all([operation('ada_builds'), operation('dmitri_codes')]);
    expect(a.ids).toEqual(a.wire);
    expect(b.ids).toEqual(b.wire);
    expect(new Set([...a.ids, ...b.ids]).size).toBe(6);
  });
});

describe('S3: x-amz-request-id, from a deserialize-step middleware', () => {
  let emulator: S3Emulator;
  let client: S3Client;
  const log = createProviderRequestLog();
  const bucket = SEED_BUCKETS.customerFiles;

  beforeAll(async () => {
    emulator = await startS3Emulator({ port: 0, region: 'us-east-1' });
    client = createS3Client(s3SettingsFromEnv(readConfig(s3ConfigSchema, emulators['s3']!.env(emulator.url))), log);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  it('records $metadata.requestId of each answer', async () => {
    const { ids, wire } = await log.run(async () => {
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'audit/put.txt', Body: 'audited', ContentType: 'text/plain' }));
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'audit/put.txt' }));
      return { ids: log.current(), wire: [put.$metadata.requestId, head.$metadata.requestId] };
    });
    expect(wire[0]).toMatch(/^[0-9A-F]{16}$/);
    expect(ids).toEqual(wire);
    expect(new Set(ids).size).toBe(2);
  });

  it('records the id of a failed call (404, with and without an error body)', async () => {
    const { ids, errors } = await log.run(async () => {
      const missingKey = await rejectionOf(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'audit/missing.txt' })), S3ServiceException);
      const missingHead = await rejectionOf(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'audit/missing.txt' })), S3ServiceException);
      return { ids: log.current(), errors: [missingKey, missingHead] };
    });
    expect(errors.map((error) => error.$metadata.httpStatusCode)).toEqual([404, 404]);
    expect(ids).toEqual(errors.map((error) => error.$metadata.requestId));
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{16}$/);
  });

  it('keeps two concurrent runs apart', async () => {
    const operation = (key: string) =>
      log.run(async () => {
        const wire: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          wire.push((await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `v${i}` }))).$metadata.requestId);
          await tick();
        }
        return { ids: log.current(), wire };
      });
    const [a, b] = await Promise.all([operation('audit/a.txt'), operation('audit/b.txt')]);
    expect(a.ids).toEqual(a.wire);
    expect(b.ids).toEqual(b.wire);
    expect(new Set([...a.ids, ...b.ids]).size).toBe(6);
  });
});

describe('S3: one id per attempt when the SDK retries', () => {
  it('records the failed attempt and the one that succeeded', async () => {
    const answers = [
      { status: 500, id: 'AAAAAAAAAAAAAAA1', body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>Try again.</Message></Error>' },
      { status: 200, id: 'AAAAAAAAAAAAAAA2', body: '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>' },
    ];
    const server = createServer((req, res) => {
      req.resume();
      const answer = answers.shift() ?? { status: 500, id: 'AAAAAAAAAAAAAAA9', body: '' };
      res.writeHead(answer.status, { 'content-type': 'application/xml', 'x-amz-request-id': answer.id }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const log = createProviderRequestLog();
    const client = createS3Client(
      { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true, buckets: [], uploadMaxBytes: 1, urlMaxExpiresSeconds: 1 },
      log,
    );
    try {
      const ids = await log.run(async () => {
        await client.send(new ListBucketsCommand({}));
        return log.current();
      });
      expect(ids).toEqual(['AAAAAAAAAAAAAAA1', 'AAAAAAAAAAAAAAA2']);
    } finally {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
