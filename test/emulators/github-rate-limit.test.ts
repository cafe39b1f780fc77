import { randomBytes } from 'node:crypto';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_SEED } from '../../emulators/github/fixtures/seed.ts';
import { GITHUB_EMULATOR_OAUTH_CLIENT, startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { s256 } from '../../kit/connections/pkce.ts';
import { decideOnConsentPage } from '../connections/browser.ts';

const STARTED_AT = Date.parse('2026-03-02T09:00:00Z');
const HOUR_MS = 3_600_000;

/** What @octokit/request's RequestError carries about an HTTP refusal. */
interface HttpRefusal {
  status: number;
  response?: { data: unknown; headers: Record<string, string | undefined> };
}

/** What @octokit/graphql's GraphqlResponseError carries about a 200 answer with `errors`. */
interface GraphqlRefusal {
  name: string;
  data?: unknown;
  errors: { type?: string; code?: string; message: string }[];
  headers: Record<string, string | undefined>;
}

async function graphqlRefusal(promise: Promise<unknown>): Promise<GraphqlRefusal> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if ((error as { name?: unknown } | undefined)?.name !== 'GraphqlResponseError') throw new Error(`expected a GraphqlResponseError, got ${String(error)}`);
  return error as GraphqlRefusal;
}

const RATE_LIMITED = (databaseId: number) => [
  { type: 'RATE_LIMITED', code: 'graphql_rate_limit', message: `API rate limit exceeded for user ID ${databaseId}.` },
];

async function refusal(promise: Promise<unknown>): Promise<HttpRefusal> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (typeof error !== 'object' || error === null || typeof (error as { status?: unknown }).status !== 'number') {
    throw new Error(`expected an HTTP error, got ${String(error)}`);
  }
  return error as HttpRefusal;
}

/** 1 + 100 + 100 × 50 = 5,101 requests → 51 points; 100 + 5,000 + 300,000 = 305,100 nodes (GitHub's worked example). */
const DOCUMENTED_EXAMPLE = `{
  viewer {
    login
    repositories(first: 100) {
      edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } }
    }
  }
  rateLimit { cost nodeCount remaining used limit resetAt }
}`;

describe('GitHub emulator: rate limit and authentication', () => {
  let emulator: GitHubEmulator;
  let gql: typeof graphql;
  let clock = STARTED_AT;
  let lastHeaders = new Headers();

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ now: () => clock });
    gql = graphql.defaults({
      baseUrl: emulator.url,
      headers: { authorization: `bearer ${emulator.token}` },
      request: {
        // The real client, with the response headers kept for the assertions.
        fetch: async (input: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(input, init);
          lastHeaders = response.headers;
          return response;
        },
      },
    });
  });

  beforeEach(() => {
    clock = STARTED_AT;
    emulator.rateLimit.reset();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("sends GitHub's rate-limit headers, counting down by each query's cost", async () => {
    await gql('{ viewer { login } }');
    expect(Object.fromEntries([...lastHeaders].filter(([name]) => name.startsWith('x-ratelimit-')))).toEqual({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String((STARTED_AT + HOUR_MS) / 1000),
      'x-ratelimit-resource': 'graphql',
    });

    const result = await gql<{ rateLimit: unknown }>(DOCUMENTED_EXAMPLE);
    expect(result.rateLimit).toEqual({
      cost: 51,
      nodeCount: 305_100,
      remaining: 4999 - 51,
      used: 52,
      limit: 5000,
      resetAt: new Date(STARTED_AT + HOUR_MS).toISOString().replace('.000Z', 'Z'),
    });
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe(String(4999 - 51));
    expect(lastHeaders.get('x-ratelimit-used')).toBe('52');
    expect(emulator.rateLimit.remaining()).toBe(4948);
  });

  it('charges aliases separately: 25 users with nested connections cost round(requests / 100)', async () => {
    const logins = Array.from({ length: 25 }, (_, i) => GITHUB_SEED.users[i % GITHUB_SEED.users.length]!.login);
    const fields = logins.map(
      (login, i) =>
        `u${i}: user(login: "${login}") { followers { totalCount } repositories(first: 20) { nodes { repositoryTopics(first: 10) { nodes { topic { name } } } issues(states: OPEN) { totalCount } } } }`,
    );
    const result = await gql<{ rateLimit: { cost: number; nodeCount: number } }>(`{ ${fields.join('\n')} rateLimit { cost nodeCount } }`);

    // Per user: followers 1 + repositories 1 + topics 20 + issues 20 = 42 requests; 25 users: 1,050 → 11 points.
    expect(result.rateLimit).toEqual({ cost: 11, nodeCount: 25 * (20 + 20 * 10) });
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe(String(5000 - 11));
  });

  it('does not charge a dry run or a query GitHub rejects, but still reports the budget', async () => {
    const dryRun = await gql<{ rateLimit: { cost: number; remaining: number } }>('{ rateLimit(dryRun: true) { cost remaining } viewer { login } }');
    expect(dryRun.rateLimit).toEqual({ cost: 1, remaining: 5000 });

    await expect(gql('{ viewer { nope } }')).rejects.toThrow("Field 'nope' doesn't exist on type 'User'");
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe('5000');
    expect(emulator.rateLimit.remaining()).toBe(5000);
  });

  it('answers HTTP 200 with a RATE_LIMITED error once the window is spent, as GitHub does, until it refills', async () => {
    clock = STARTED_AT + 10 * 60_000;
    emulator.rateLimit.spend();

    const error = await graphqlRefusal(gql('{ viewer { login } }'));
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe('0');
    expect(error.data).toBeUndefined();
    expect(error.errors).toEqual(RATE_LIMITED(GITHUB_SEED.users[0]!.databaseId));
    expect(error.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.headers['x-ratelimit-used']).toBe('5000');
    expect(error.headers['x-ratelimit-reset']).toBe(String((STARTED_AT + HOUR_MS) / 1000));
    expect(error.headers['retry-after']).toBeUndefined();

    clock = STARTED_AT + HOUR_MS;
    await expect(gql('{ viewer { login } }')).resolves.toEqual({ viewer: { login: GITHUB_SEED.viewerLogin } });
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe('4999');
    expect(lastHeaders.get('x-ratelimit-reset')).toBe(String((STARTED_AT + 2 * HOUR_MS) / 1000));
  });

  it('refuses a query that costs more than what is left', async () => {
    emulator.rateLimit.spend(5000 - 10);
    const error = await graphqlRefusal(gql(DOCUMENTED_EXAMPLE));
    expect(error.errors).toEqual(RATE_LIMITED(GITHUB_SEED.users[0]!.databaseId));
    expect(error.headers['x-ratelimit-remaining']).toBe('10');
    expect(emulator.rateLimit.remaining()).toBe(10);
    await expect(gql('{ viewer { login } }')).resolves.toBeDefined();
    expect(emulator.rateLimit.remaining()).toBe(9);
  });

  it('refuses a query over the 500,000-node limit without charging it', async () => {
    const error: unknown = await gql(
      '{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } }',
    ).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({
      data: undefined,
      errors: [
        {
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          message: 'This query requests up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.',
        },
      ],
    });
    expect(emulator.rateLimit.remaining()).toBe(5000);
  });

  it('takes its budget from pointsPerHour', async () => {
    const small = await startGitHubEmulator({ pointsPerHour: 2, now: () => clock });
    try {
      const client = graphql.defaults({ baseUrl: small.url, headers: { authorization: `token ${small.token}` } });
      await client('{ viewer { login } }');
      await client('{ viewer { login } }');
      const error = await graphqlRefusal(client('{ viewer { login } }'));
      expect(error.errors[0]?.type).toBe('RATE_LIMITED');
      expect(error.headers['x-ratelimit-limit']).toBe('2');
    } finally {
      await small.close();
    }
  });

  it('is controllable over HTTP for tests in another process', async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    expect((await control('POST', 'rate-limit', { remaining: 0 })).status).toBe(204);
    expect((await graphqlRefusal(gql('{ viewer { login } }'))).errors[0]?.type).toBe('RATE_LIMITED');
    expect(await (await control('GET', 'rate-limit')).json()).toEqual({ limit: 5000, remaining: 0, used: 5000, reset: (STARTED_AT + HOUR_MS) / 1000 });

    expect((await control('DELETE', 'rate-limit')).status).toBe(204);
    await gql('{ viewer { login } }');
    expect(lastHeaders.get('x-ratelimit-remaining')).toBe('4999');

    expect((await control('POST', 'rate-limit', { remaining: 'lots' })).status).toBe(400);

    expect(await (await control('GET', 'secondary-rate-limit')).json()).toEqual({ status: 403 });
    expect((await control('POST', 'secondary-rate-limit', { status: 200 })).status).toBe(204);
    expect(emulator.secondaryRateLimit.status).toBe(200);
    expect((await control('POST', 'secondary-rate-limit', { status: 429 })).status).toBe(400);
    emulator.secondaryRateLimit.status = 403;

    expect((await control('DELETE', 'requests')).status).toBe(204);
    await gql('{ viewer { login } }');
    await gql('mutation($id: ID!) { addStar(input: { starrableId: $id }) { clientMutationId } }', {
      id: (await gql<{ repository: { id: string } }>('{ repository(owner: "kmensah", name: "talks") { id } }')).repository.id,
    });
    expect(await (await control('GET', 'requests')).json()).toEqual({ 'POST /graphql': 3, 'mutation addStar': 1 });
    expect(emulator.requests.count('POST /graphql')).toBe(3);
  });

  it('refuses a mutation with INSUFFICIENT_SCOPES when the token lacks the scope, without running or charging it', async () => {
    const repositoryId = (await gql<{ repository: { id: string } }>('{ repository(owner: "kmensah", name: "talks") { id } }')).repository.id;
    const created = await fetch(`${emulator.url}/_emulator/tokens`, { method: 'POST', body: JSON.stringify({ scopes: ['read:user'] }) });
    expect(created.status).toBe(201);
    const { token, scopes } = (await created.json()) as { token: string; scopes: string[] };
    expect(token).toMatch(/^ghp_\w{36}$/);
    expect(scopes).toEqual(['read:user']);
    expect((await fetch(`${emulator.url}/_emulator/tokens`, { method: 'POST', body: '{"scopes": "repo"}' })).status).toBe(400);

    let headers = new Headers();
    const limited = graphql.defaults({
      baseUrl: emulator.url,
      headers: { authorization: `bearer ${token}` },
      request: {
        fetch: async (input: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(input, init);
          headers = response.headers;
          return response;
        },
      },
    });
    // Public data needs no scope.
    await expect(limited('{ viewer { login } }')).resolves.toEqual({ viewer: { login: GITHUB_SEED.viewerLogin } });
    expect(headers.get('x-oauth-scopes')).toBe('read:user');
    const remaining = emulator.rateLimit.remaining();
    emulator.requests.reset();

    const error = await graphqlRefusal(limited('mutation Star($id: ID!) {\n  addStar(input: { starrableId: $id }) { clientMutationId }\n}', { id: repositoryId }));
    expect(error.data).toBeUndefined();
    expect(error.errors).toEqual([
      {
        type: 'INSUFFICIENT_SCOPES',
        locations: [{ line: 2, column: 3 }],
        message:
          "Your token has not been granted the required scopes to execute this query. The 'addStar' field requires one of the following scopes: ['public_repo'], " +
          "but your token has only been granted the: ['read:user'] scopes. Please modify your token's scopes at: https://github.com/settings/tokens.",
      },
    ]);
    expect(emulator.requests.count('mutation addStar')).toBe(0);
    expect(emulator.rateLimit.remaining()).toBe(remaining);

    // `repo` includes `public_repo`; so does a token with just `public_repo`.
    const publicRepo = graphql.defaults({ baseUrl: emulator.url, headers: { authorization: `token ${emulator.createToken(['public_repo'])}` } });
    await expect(publicRepo('mutation($id: ID!) { removeStar(input: { starrableId: $id }) { clientMutationId } }', { id: repositoryId })).resolves.toBeDefined();
  });

  it("refuses bad or missing tokens with GitHub's 401", async () => {
    const badToken = graphql.defaults({ baseUrl: emulator.url, headers: { authorization: 'token ghp_not_the_right_one' } });
    const bad = await refusal(badToken('{ viewer { login } }'));
    expect(bad.status).toBe(401);
    expect(bad.response?.data).toMatchObject({ message: 'Bad credentials' });

    const anonymous = await fetch(`${emulator.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'This endpoint requires you to be authenticated.' });

    const tokenScheme = graphql.defaults({ baseUrl: emulator.url, headers: { authorization: `token ${emulator.token}` } });
    await expect(tokenScheme('{ viewer { login } }')).resolves.toEqual({ viewer: { login: 'adaokafor' } });
    expect(emulator.rateLimit.remaining()).toBe(4999);
  });

  it("answers malformed bodies and unknown paths like GitHub's API", async () => {
    const post = (path: string, body: string) =>
      fetch(`${emulator.url}${path}`, { method: 'POST', headers: { authorization: `bearer ${emulator.token}` }, body });

    const notJson = await post('/graphql', '{"query": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' });

    const noQuery = await post('/graphql', '{}');
    expect(noQuery.status).toBe(200);
    expect(await noQuery.json()).toEqual({ errors: [{ message: 'A query attribute must be specified and must be a string.' }] });

    const elsewhere = await post('/v3/graphql', '{}');
    expect(elsewhere.status).toBe(404);
  });
});

describe('GitHub emulator: one rate-limit window per user, as GitHub keeps them', () => {
  const CALLBACK = 'http://127.0.0.1:3999/oauth/github/callback';
  const { clientId, clientSecret } = GITHUB_EMULATOR_OAUTH_CLIENT;
  let emulator: GitHubEmulator;
  let clock = STARTED_AT;

  beforeAll(async () => {
    emulator = await startGitHubEmulator({ now: () => clock });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  /** A `ghu_` token of `login`, through GitHub's web flow as an app gets one: consent, then the code exchanged. */
  const userToken = async (login: string): Promise<string> => {
    const verifier = randomBytes(48).toString('base64url');
    const authorize = new URL(`${emulator.url}/login/oauth/authorize`);
    authorize.search = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, scope: 'read:user public_repo', state: 's', code_challenge: s256(verifier), code_challenge_method: 'S256' }).toString();
    const { location } = await decideOnConsentPage(authorize.toString(), 'Authorize app', login);
    const code = new URL(location).searchParams.get('code') ?? '';
    const answer = await fetch(`${emulator.url}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret!, code, code_verifier: verifier, redirect_uri: CALLBACK }),
    });
    return ((await answer.json()) as { access_token: string }).access_token;
  };
  /** @octokit/graphql with `token`, keeping each answer's `x-ratelimit-remaining`. */
  const clientWith = (token: string) => {
    const seen = { remaining: '' };
    const client = graphql.defaults({
      baseUrl: emulator.url,
      headers: { authorization: `bearer ${token}` },
      request: {
        fetch: async (input: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(input, init);
          seen.remaining = response.headers.get('x-ratelimit-remaining') ?? '';
          return response;
        },
      },
    });
    return { client, seen };
  };
  const control = (method: string, query: string, body?: unknown) =>
    fetch(`${emulator.url}/_emulator/rate-limit${query}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const VIEWER_AND_BUDGET = '{ viewer { login } rateLimit { cost remaining used } }';
  const databaseIdOf = (login: string) => GITHUB_SEED.users.find((user) => user.login === login)!.databaseId;

  it("charges and reports the caller's own window: the app token's user's, and each OAuth user's", async () => {
    const app = clientWith(emulator.token);
    const kwame = clientWith(await userToken('kmensah'));

    expect((await app.client<{ rateLimit: unknown }>(DOCUMENTED_EXAMPLE)).rateLimit).toMatchObject({ cost: 51, remaining: 4949, used: 51 });
    expect(await kwame.client(VIEWER_AND_BUDGET)).toEqual({ viewer: { login: 'kmensah' }, rateLimit: { cost: 1, remaining: 4999, used: 1 } });
    expect(kwame.seen.remaining).toBe('4999');
    await app.client('{ viewer { login } }');
    expect(app.seen.remaining).toBe('4948');
    expect(emulator.rateLimit.remaining()).toBe(4948);
    expect(emulator.rateLimitOf('KMensah').remaining()).toBe(4999);

    // Per user, not per token: another token of the app's account, or another grant of Kwame's, spends the same window.
    await clientWith(emulator.createToken(['repo'])).client('{ viewer { login } }');
    expect(emulator.rateLimit.remaining()).toBe(4947);
    const again = clientWith(await userToken('kmensah'));
    await again.client('{ viewer { login } }');
    expect(again.seen.remaining).toBe('4998');
  });

  it("refuses only the user whose window is spent, naming that user, and the control endpoints target a login's window", async () => {
    const app = clientWith(emulator.token);
    const kwame = clientWith(await userToken('kmensah'));
    emulator.rateLimit.reset();
    emulator.rateLimitOf('kmensah').reset();

    // The app's window spent: the app is refused, Kwame is not.
    emulator.rateLimit.spend();
    expect((await graphqlRefusal(app.client('{ viewer { login } }'))).errors).toEqual(RATE_LIMITED(databaseIdOf('adaokafor')));
    expect((await kwame.client<{ rateLimit: unknown }>(VIEWER_AND_BUDGET)).rateLimit).toEqual({ cost: 1, remaining: 4999, used: 1 });
    expect((await control('DELETE', '')).status).toBe(204);

    // Kwame's window spent (over HTTP, for tests in another process): Kwame is refused, the app is not.
    expect((await control('POST', '?login=kmensah', { remaining: 0 })).status).toBe(204);
    const refused = await graphqlRefusal(kwame.client('{ viewer { login } }'));
    expect(refused.errors).toEqual(RATE_LIMITED(databaseIdOf('kmensah')));
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    await expect(app.client('{ viewer { login } }')).resolves.toEqual({ viewer: { login: 'adaokafor' } });
    expect(app.seen.remaining).toBe('4999');
    expect(await (await control('GET', '?login=kmensah')).json()).toMatchObject({ limit: 5000, remaining: 0, used: 5000 });
    expect(await (await control('GET', '')).json()).toMatchObject({ remaining: 4999, used: 1 });
    expect((await control('GET', '?login=nobody-here')).status).toBe(404);

    expect((await control('DELETE', '?login=kmensah')).status).toBe(204);
    await kwame.client('{ viewer { login } }');
    expect(kwame.seen.remaining).toBe('4999');
  });
});
