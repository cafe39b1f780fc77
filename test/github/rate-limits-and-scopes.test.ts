import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { silentLogger } from '../../kit/logger.ts';
import { createQuotaTracker, type QuotaTracker } from '../../kit/resilience/quota.ts';
import { createProviderPolicy, DEFAULT_RESILIENCE, type ProviderPolicy } from '../../kit/resilience/resilience.ts';
import { classifyFetchFailure } from '../../kit/resilience/policy-fetch.ts';
import { createGitHubClient, type GitHubGraphQL } from '../../subgraphs/github/client.ts';
import { toGraphQLError } from '../../subgraphs/github/errors.ts';
import { setStarred } from '../../subgraphs/github/repositories.ts';
import { retrieveUsers } from '../../subgraphs/github/users.ts';

/**
 * The GitHub subgraph's client (@octokit/graphql, under the provider policy) against the emulator's
 * rate limits and token scopes, answered in GitHub's shapes: what the subgraph tells its clients, and
 * that it does not call GitHub again while GitHub asked it to wait.
 */
let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await startGitHubEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.rateLimit.reset();
  emulator.faults.clear();
  emulator.requests.reset();
  emulator.secondaryRateLimit.status = 403;
});

interface Subgraph {
  client: GitHubGraphQL;
  quota: QuotaTracker;
  policy: ProviderPolicy;
}

/** A fresh client as the subgraph builds it, with a breaker that would open on the first outage it counted. */
function subgraphClient(token = emulator.token): Subgraph {
  const quota = createQuotaTracker({ provider: 'github' });
  const policy = createProviderPolicy({
    provider: 'github',
    classify: classifyFetchFailure,
    settings: { ...DEFAULT_RESILIENCE, breakerFailureRatio: 0.01, breakerMinimumRps: 0.001, breakerWindowMs: 60_000 },
  });
  return { client: createGitHubClient({ token, apiBase: emulator.url }, quota, undefined, policy), quota, policy };
}

/** The first lookup's mapped error, as the user loader gives it to the resolver. */
async function lookupError({ client, quota }: Subgraph): Promise<GraphQLError> {
  try {
    const [result] = await retrieveUsers(client, quota, ['adaokafor']);
    if (result instanceof Error) return toGraphQLError(result, silentLogger);
  } catch (error) {
    return toGraphQLError(error, silentLogger);
  }
  throw new Error('expected the lookup to fail');
}

const calls = () => emulator.requests.count('POST /graphql');

describe('GitHub primary rate limit: HTTP 200 with a RATE_LIMITED error', () => {
  it('answers RATE_LIMITED with retryAfter until x-ratelimit-reset, and stops calling until then', async () => {
    const subgraph = subgraphClient();
    // What GitHub sends, through the same SDK: a GraphqlResponseError, not an HTTP error.
    emulator.rateLimit.spend();
    const raw: unknown = await subgraph.client('{ viewer { login } }').then(() => undefined, (error: unknown) => error);
    expect(raw).toMatchObject({ name: 'GraphqlResponseError', errors: [{ type: 'RATE_LIMITED', message: expect.stringMatching(/^API rate limit exceeded for user ID \d+\.$/) }] });
    const headers = (raw as { headers: Record<string, string> }).headers;
    expect(headers['x-ratelimit-remaining']).toBe('0');
    expect(headers['retry-after']).toBeUndefined();
    const untilReset = Number(headers['x-ratelimit-reset']) - Date.now() / 1000;

    const fresh = subgraphClient();
    const error = await lookupError(fresh);
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'github' });
    // Until the window's reset (about an hour away), not a guess such as a minute.
    expect(Number(error.extensions['retryAfter'])).toBeGreaterThan(untilReset - 60);
    expect(Number(error.extensions['retryAfter'])).toBeLessThanOrEqual(Math.ceil(untilReset) + 1);

    const sent = calls();
    const again = await lookupError(fresh);
    expect(again.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(calls()).toBe(sent); // failed fast, nothing sent
    expect(fresh.policy.state()).toBe('closed');
  });

  it('backs off until the reset also when the window is not empty but short of the query’s cost', async () => {
    emulator.rateLimit.spend(5000 - 10);
    const subgraph = subgraphClient();
    // 1 + 100 + 100 × 50 requests: 51 points (GitHub's worked example), more than the 10 left.
    const expensive = '{ viewer { repositories(first: 100) { nodes { issues(first: 50) { nodes { labels(first: 60) { nodes { id } } } } } } } }';
    const error = toGraphQLError(await subgraph.client(expensive).then(() => undefined, (reason: unknown) => reason), silentLogger);
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(error.extensions['retryAfter'])).toBeGreaterThan(60);
    const sent = calls();
    expect((await lookupError(subgraph)).extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(calls()).toBe(sent); // a 1-point lookup would fit, but GitHub asked to wait for the reset
  });
});

describe('GitHub secondary rate limits', () => {
  it('403 with retry-after (x-ratelimit-remaining above 0): waits what retry-after says, without tripping the breaker', async () => {
    emulator.faults.setProfile({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const subgraph = subgraphClient();
    const raw: unknown = await subgraph.client('{ viewer { login } }').then(() => undefined, (error: unknown) => error);
    expect(raw).toMatchObject({ name: 'HttpError', status: 403, response: { data: { message: expect.stringContaining('secondary rate limit') } } });
    const headers = (raw as { response: { headers: Record<string, string> } }).response.headers;
    expect(headers['retry-after']).toBe('7');
    expect(Number(headers['x-ratelimit-remaining'])).toBeGreaterThan(0);

    const error = await lookupError(subgraphClient());
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'github', retryAfter: 7 });
    const sent = calls();
    expect(() => subgraph.quota.assertAvailable('graphql')).toThrow(/rate limit/);
    expect((await lookupError(subgraph)).extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(calls()).toBe(sent);
    expect(subgraph.policy.state()).toBe('closed');
  });

  it('403 without retry-after: waits one minute', async () => {
    emulator.faults.setProfile({ rateLimitRate: 1, retryAfterSeconds: 0 });
    const subgraph = subgraphClient();
    const error = await lookupError(subgraph);
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
    const sent = calls();
    expect((await lookupError(subgraph)).extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(calls()).toBe(sent);
    expect(subgraph.policy.state()).toBe('closed');
  });

  it('200 with an error saying so: recognised as well', async () => {
    emulator.secondaryRateLimit.status = 200;
    emulator.faults.setProfile({ rateLimitRate: 1, retryAfterSeconds: 0 });
    const subgraph = subgraphClient();
    const raw: unknown = await subgraph.client('{ viewer { login } }').then(() => undefined, (error: unknown) => error);
    expect(raw).toMatchObject({ name: 'GraphqlResponseError', errors: [{ message: expect.stringContaining('secondary rate limit') }] });
    const error = await lookupError(subgraphClient());
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
  });
});

describe('GitHub token missing a scope', () => {
  it('maps INSUFFICIENT_SCOPES to FORBIDDEN naming the scope, never PROVIDER_UNAVAILABLE, never tripping the breaker', async () => {
    const full = subgraphClient();
    const { repository } = await full.client<{ repository: { id: string; stargazerCount: number } }>('{ repository(owner: "kmensah", name: "talks") { id stargazerCount } }');

    const readOnly = subgraphClient(emulator.createToken(['read:user']));
    // Reads of public data need no scope.
    const [user] = await retrieveUsers(readOnly.client, readOnly.quota, ['adaokafor']);
    expect(user).toMatchObject({ login: 'adaokafor' });

    for (let i = 0; i < 5; i++) {
      const error = await setStarred(readOnly.client, readOnly.quota, repository.id, true).then(
        () => {
          throw new Error('expected a refusal');
        },
        (reason: unknown) => toGraphQLError(reason, silentLogger),
      );
      expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', provider: 'github', requiredScopes: ['public_repo'] });
      expect(error.message).toMatch(/missing a scope.*public_repo/);
    }
    expect(readOnly.policy.state()).toBe('closed');
    expect(emulator.requests.count('mutation addStar')).toBe(0);
    const after = await full.client<{ repository: { stargazerCount: number } }>('{ repository(owner: "kmensah", name: "talks") { stargazerCount } }');
    expect(after.repository.stargazerCount).toBe(repository.stargazerCount);
  });
});
