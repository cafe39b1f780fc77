import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { secondAccountsOfLinkedCustomers, seedCustomers } from '../../emulators/seed/customers.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { emulatorRequests, emulatorUrl, resetEmulatorRequests, startTestApp, totalRequests } from '../support/app.ts';
import { adminHeaders } from '../support/tokens.ts';

let app: RunningApp;
/** These tests are about joining providers, not access: they call as an operator who may do anything. */
const query = async <Data = Record<string, unknown>>(text: string, variables?: Record<string, unknown>) =>
  postGraphQL<Data>(app.gateway.url, text, variables, await adminHeaders());

beforeAll(async () => {
  app = await startTestApp();
  // 20 seeded customers plus 5 more linked to already-seen accounts: 25, with repeats to de-duplicate.
  for (const input of secondAccountsOfLinkedCustomers()) {
    const created = await query(`mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, { input: { ...input, idempotencyKey: randomUUID() } });
    expect(created.body.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await app?.close();
});

const JOINED = /* GraphQL */ `
  {
    customers(first: 25) {
      nodes {
        id
        email
        github { login name repositories(first: 5) { name stars } }
        twitter { username name tweets(first: 5) { nodes { text } } }
      }
    }
  }
`;

type Joined = {
  customers: {
    nodes: {
      id: string;
      github: { login: string; repositories: unknown[] } | null;
      twitter: { username: string; tweets: { nodes: unknown[] } } | null;
    }[];
  };
};

async function resetAll() {
  await Promise.all(['stripe', 'github', 'twitter'].map((p) => resetEmulatorRequests(app, p)));
}
async function countsByProvider() {
  return {
    stripe: await emulatorRequests(app, 'stripe'),
    github: await emulatorRequests(app, 'github'),
    twitter: await emulatorRequests(app, 'twitter'),
  };
}

describe('customers → GitHub repositories and latest posts, in one query', () => {
  it('costs one Stripe list, one GitHub request, one X users lookup and one timeline per distinct X user; then nothing', async () => {
    await resetAll();
    const first = await query<Joined>(JOINED);
    expect(first.body.errors).toBeUndefined();
    const nodes = first.body.data!.customers.nodes;
    expect(nodes).toHaveLength(25);
    const withGitHub = nodes.filter((n) => n.github);
    const withTwitter = nodes.filter((n) => n.twitter);
    expect(withGitHub.length).toBe(seedCustomers.filter((c) => c.githubLogin).length + 5);
    expect(withGitHub.every((n) => n.github!.repositories.length > 0 && n.github!.repositories.length <= 5)).toBe(true);
    expect(withTwitter.every((n) => n.twitter!.tweets.nodes.length === 5)).toBe(true);

    const distinctTwitterUsers = new Set(withTwitter.map((n) => n.twitter!.username.toLowerCase())).size;
    const counts = await countsByProvider();
    console.log('upstream calls, first query:', JSON.stringify(counts));
    expect(counts.stripe).toEqual({ 'GET /v1/customers': 1 });
    expect(counts.github).toEqual({ 'POST /graphql': 1 });
    expect(counts.twitter).toEqual({ 'GET /2/users/by': 1, 'GET /2/users/:id/tweets': distinctTwitterUsers });

    await resetAll();
    const repeat = await query<Joined>(JOINED);
    expect(repeat.body).toEqual(first.body);
    const repeatCounts = await countsByProvider();
    console.log('upstream calls, same query again:', JSON.stringify(repeatCounts));
    expect(totalRequests(repeatCounts.stripe) + totalRequests(repeatCounts.github) + totalRequests(repeatCounts.twitter)).toBe(0);
  });
});

describe('an unknown linked account', () => {
  it('carries no provider data, with NOT_FOUND at its path; the rest of the data is intact', async () => {
    const created = await query<{ createCustomer: { id: string } }>(
      `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
      {
        input: {
          name: 'Ghost',
          metadata: [
            { key: 'github_login', value: 'no-such-login-anywhere' },
            { key: 'twitter_username', value: 'nosuchhandle404' },
          ],
        },
      },
    );
    const id = created.body.data!.createCustomer.id;
    const response = await query(`{ customer(id: "${id}") { id name github { login name } twitter { username name } } }`);
    // Federation keeps the reference's key field (login comes from the payments subgraph); every field
    // the social subgraph would have supplied is null, and TwitterUser.name being non-null nulls it whole.
    expect(response.body.data).toEqual({ customer: { id, name: 'Ghost', github: { login: 'no-such-login-anywhere', name: null }, twitter: null } });
    expect(errorCodes(response)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(response.body.errors!.map((e) => e.path!.slice(0, 2))).toEqual(expect.arrayContaining([['customer', 'github'], ['customer', 'twitter']]));
  });

  it('by direct lookup: null with NOT_FOUND', async () => {
    const response = await query('{ githubUser(login: "no-such-login-anywhere") { login } twitterUser(username: "nosuchhandle404") { id } }');
    expect(response.body.data).toEqual({ githubUser: null, twitterUser: null });
    expect(errorCodes(response)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });

  // X refuses a whole users lookup (400) over one username it could not have (16 characters here).
  it('linked as a handle X could not have: NOT_FOUND at its own path, without failing the accounts batched with it', async () => {
    const ada = seedCustomers.find((c) => c.twitterUsername === 'ada_builds')!;
    const linkedTo = async (twitterUsername: string) => {
      const created = await query<{ createCustomer: { id: string } }>(`mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
        input: { name: twitterUsername, metadata: [{ key: 'twitter_username', value: twitterUsername }], idempotencyKey: randomUUID() },
      });
      return created.body.data!.createCustomer.id;
    };
    // A handle X could have but does not, never looked up before: it goes into the same users lookup.
    const unknown = await linkedTo('nosuchhandle405');
    const overlong = await linkedTo('no_such_user_xyz');
    await resetAll();
    const customer = (alias: string, id: string) => `${alias}: customer(id: "${id}") { twitter { username name } }`;
    const response = await query(`{ ${customer('ada', ada.id)} ${customer('unknown', unknown)} ${customer('overlong', overlong)} }`);
    expect(response.body.data).toEqual({ ada: { twitter: { username: 'ada_builds', name: expect.any(String) } }, unknown: { twitter: null }, overlong: { twitter: null } });
    expect(response.body.errors!.map((error) => [error.extensions!['code'], error.path!.slice(0, 2)])).toEqual(
      expect.arrayContaining([
        ['NOT_FOUND', ['unknown', 'twitter']],
        ['NOT_FOUND', ['overlong', 'twitter']],
      ]),
    );
    expect(response.body.errors).toHaveLength(2);
    // One lookup (Ada's account was cached by the tests above): X answered it, rather than refusing it whole.
    expect((await countsByProvider()).twitter).toEqual({ 'GET /2/users/by': 1 });
  });

  it('asked for directly by a username X could not have: BAD_USER_INPUT naming the rule, and X is not called', async () => {
    await resetAll();
    const response = await query('{ twitterUser(username: "no_such_user_xyz") { id } }');
    expect(response.body.data).toEqual({ twitterUser: null });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.message).toBe('username must be 1 to 15 letters, digits or underscores, as X usernames are');
    expect(response.body.errors![0]!.extensions!['argument']).toBe('username');
    expect(await emulatorRequests(app, 'twitter')).toEqual({});
  });
});

describe('rate limits', () => {
  it('fails fast with RATE_LIMITED and retryAfter once X says the window is spent, without calling again', async () => {
    const username = seedCustomers.find((c) => c.twitterUsername)!.twitterUsername!;
    const twitterUrl = emulatorUrl(app, 'twitter');
    await fetch(`${twitterUrl}/_emulator/rate-limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spend: 'GET /2/users/:id/tweets' }),
    });
    const timeline = `{ twitterUser(username: "${username}") { username tweets(first: 7) { nodes { id } } } }`;
    const refused = await query(timeline);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.body.errors![0]!.extensions!['retryAfter']).toEqual(expect.any(Number));
    // Partial data: the profile is there, only the timeline is missing.
    expect(refused.body.data).toEqual({ twitterUser: { username, tweets: null } });

    await resetEmulatorRequests(app, 'twitter');
    const again = await query(timeline);
    expect(errorCodes(again)).toEqual(['RATE_LIMITED']);
    expect(await emulatorRequests(app, 'twitter')).toEqual({});
    await fetch(`${twitterUrl}/_emulator/rate-limits`, { method: 'DELETE' });
  });

  it('reports GitHub’s spent window the same way', async () => {
    const githubUrl = emulatorUrl(app, 'github');
    await fetch(`${githubUrl}/_emulator/rate-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ remaining: 0 }) });
    const response = await query('{ searchGitHubRepositories(query: "rate-limit-probe", first: 3) { nameWithOwner } }');
    expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
    expect(response.body.errors![0]!.extensions!['retryAfter']).toEqual(expect.any(Number));
    await fetch(`${githubUrl}/_emulator/rate-limit`, { method: 'DELETE' });
  });
});
