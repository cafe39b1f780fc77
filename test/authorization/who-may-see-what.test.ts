import { readFileSync } from 'node:fs';
import { graphql } from '@octokit/graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../app/providers.ts';
import { DEFAULT_GITHUB_EMULATOR_TOKEN } from '../../emulators/github/server.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { accessPolicy, rootFields } from '../../gateway/authorize/policy.ts';
import { createSupergraphPlanner } from '../../gateway/engine/query-planner.ts';
import { accessRulesOf } from '../../gateway/options-from-config.ts';
import { emulatorRequests, emulatorUrl, resetEmulatorRequests, totalRequests } from '../support/app.ts';
import { useLiveApp } from '../support/live-app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { adminHeaders, authorization, testPrincipalTokens } from '../support/tokens.ts';

const SUPERGRAPH = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
const PROVIDERS = ['stripe', 's3', 'github', 'twitter'];

// Ada is linked everywhere, and her GitHub login and X handle are the accounts the emulators' tokens act as.
const ada = seedCustomers[0]!;
const bob = seedCustomers[3]!;
const claimsOf = (customer: typeof ada, scope: string) => ({
  sub: `user-${customer.id}`,
  scope,
  customer: customer.id,
  ...(customer.githubLogin ? { github: customer.githubLogin } : {}),
  ...(customer.twitterUsername ? { twitter: customer.twitterUsername } : {}),
  storage_prefix: `customers/${customer.id}/`,
});
const ALL_SCOPES = 'payments:read payments:write social:read social:write storage:read storage:write';

const live = useLiveApp();
beforeEach(async () => {
  await Promise.all(PROVIDERS.map((p) => resetEmulatorRequests(live.app, p)));
});

const as = async (claims: Record<string, unknown> | undefined, query: string, variables?: Record<string, unknown>) =>
  postGraphQL(live.app.gateway.url, query, variables, claims ? await authorization(claims) : {});
const providerCalls = async () => Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, totalRequests(await emulatorRequests(live.app, p))] as const)));
const NO_CALLS = { stripe: 0, s3: 0, github: 0, twitter: 0 };

describe('deny by default', () => {
  it('has an explicit rule for every root field of the supergraph', () => {
    const { apiSchema } = createSupergraphPlanner(SUPERGRAPH);
    const policy = accessPolicy(apiSchema, accessRulesOf(providers));
    expect(policy.unruled).toEqual([]);
    expect(rootFields(apiSchema).length).toBeGreaterThan(30);
  });

  it('lists the rule of every root field in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const { apiSchema } = createSupergraphPlanner(SUPERGRAPH);
    const missing = rootFields(apiSchema).filter((coordinate) => !readme.includes(`\`${coordinate}\``));
    expect(missing).toEqual([]);
  });
});

describe('anonymous callers', () => {
  it('read the public catalogue, public repositories and posts', async () => {
    const response = await as(undefined, '{ products(first: 1) { nodes { id } } githubUser(login: "adaokafor") { login } twitterUser(username: "ada_builds") { username } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toMatchObject({ githubUser: { login: 'adaokafor' }, twitterUser: { username: 'ada_builds' } });
  });

  it('are told to sign in for anything else, and no provider is called', async () => {
    const nullable = await as(undefined, `{ customer(id: "${ada.id}") { id } viewer { id } products(first: 1) { nodes { id } } }`);
    expect(nullable.status).toBe(200);
    expect(errorCodes(nullable)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(nullable.body.data).toMatchObject({ customer: null, viewer: null, products: { nodes: [expect.anything()] } });
    await resetEmulatorRequests(live.app, 'stripe');
    // Provider-backed fields are nullable (one failing provider must not take the rest of an answer with it):
    // a refused one is null, with its error at its path.
    for (const [field, query] of [['buckets', '{ buckets { name } }'], ['searchGitHubRepositories', '{ searchGitHubRepositories(query: "graphql") { name } }'], ['customers', '{ customers { nodes { id } } }']] as const) {
      const refused = await as(undefined, query);
      expect(refused.body).toMatchObject({ data: { [field]: null }, errors: [{ path: [field], extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    // A refused non-null field nulls the whole answer, as GraphQL's null propagation says.
    expect((await as(undefined, '{ providerStatus { provider } }')).body).toMatchObject({ data: null, errors: [{ path: ['providerStatus'], extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await providerCalls()).toEqual(NO_CALLS);
  });
});

describe('scopes', () => {
  it('refuse a field whose scope the token lacks, before any provider call', async () => {
    const response = await as(claimsOf(ada, 'social:read'), `{ customer(id: "${ada.id}") { id } }`);
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await providerCalls()).toEqual(NO_CALLS);
  });

  it('let admin do everything, including lists of every customer', async () => {
    const response = await postGraphQL(live.app.gateway.url, '{ customers(first: 2) { nodes { id } } }', undefined, await adminHeaders());
    expect(response.body.errors).toBeUndefined();
  });
});

describe('ownership', () => {
  it('a customer reads their own customer, and not someone else’s, without the provider being asked', async () => {
    const own = await as(claimsOf(ada, 'payments:read'), `{ customer(id: "${ada.id}") { id name } }`);
    expect(own.body.data).toEqual({ customer: { id: ada.id, name: ada.name } });

    await resetEmulatorRequests(live.app, 'stripe');
    const other = await as(claimsOf(ada, 'payments:read'), `{ customer(id: "${bob.id}") { id name } }`);
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.body.data).toEqual({ customer: null });
    expect(await providerCalls()).toEqual(NO_CALLS);
  });

  it('a payment intent fetched by id is refused when its customer is someone else, exactly as an unknown id is', async () => {
    const bobs = await postGraphQL<{ customer: { paymentIntents: { nodes: { id: string }[] } } }>(
      live.app.gateway.url,
      `{ customer(id: "${bob.id}") { paymentIntents(first: 1) { nodes { id } } } }`,
      undefined,
      await adminHeaders(),
    );
    const bobsIntent = bobs.body.data!.customer.paymentIntents.nodes[0]!.id;

    const someoneElses = await as(claimsOf(ada, 'payments:read'), `{ paymentIntent(id: "${bobsIntent}") { id amount { amount } } }`);
    const unknown = await as(claimsOf(ada, 'payments:read'), '{ paymentIntent(id: "pi_doesnotexist000000") { id amount { amount } } }');
    expect(someoneElses.body.data).toEqual({ paymentIntent: null });
    expect(someoneElses.body.errors).toEqual(unknown.body.errors);
    expect(errorCodes(someoneElses)).toEqual(['FORBIDDEN']);

    const asOwner = await as(claimsOf(bob, 'payments:read'), `{ paymentIntent(id: "${bobsIntent}") { id } }`);
    expect(asOwner.body.data).toEqual({ paymentIntent: { id: bobsIntent } });
    const asAdmin = await postGraphQL(live.app.gateway.url, '{ paymentIntent(id: "pi_doesnotexist000000") { id } }', undefined, await adminHeaders());
    expect(errorCodes(asAdmin)).toEqual(['NOT_FOUND']);
  });

  it('money moves only for the caller’s own customer', async () => {
    const response = await as(
      claimsOf(ada, 'payments:read payments:write'),
      `mutation { createPaymentIntent(input: { customerId: "${bob.id}", amount: 500, currency: "usd", idempotencyKey: "own-1" }) { paymentIntent { id } } }`,
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await providerCalls()).toEqual(NO_CALLS);
  });

  it('files are read and written only under the caller’s own prefix', async () => {
    const mine = `customers/${ada.id}/avatar.png`;
    const theirs = `customers/${bob.id}/avatar.png`;
    const bucket = 'acme-customer-files';
    const read = await as(claimsOf(ada, 'storage:read'), `query ($b: String!, $k: String!) { storedObject(bucket: $b, key: $k) { key } }`, { b: bucket, k: theirs });
    const write = await as(
      claimsOf(ada, 'storage:write'),
      `mutation ($b: String!, $k: String!) { createUploadUrl(input: { bucket: $b, key: $k, contentType: "image/png", contentLength: 10 }) { url } }`,
      { b: bucket, k: theirs },
    );
    const sneaky = await as(claimsOf(ada, 'storage:read'), `query ($b: String!) { storedObjects(bucket: $b, prefix: "customers/") { nodes { key } } }`, { b: bucket });
    expect([...errorCodes(read), ...errorCodes(write), ...errorCodes(sneaky)]).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await providerCalls()).toEqual(NO_CALLS);

    const own = await as(claimsOf(ada, 'storage:read'), `query ($b: String!, $k: String!) { storedObject(bucket: $b, key: $k) { key } }`, { b: bucket, k: mine });
    expect(own.body.data).toEqual({ storedObject: { key: mine } });
  });

  it('social writes act only as the caller’s own linked identity', async () => {
    const star = 'mutation { starGitHubRepository(nameWithOwner: "dsokolov/kv-bench") { nameWithOwner } }';
    const unlinked = await as({ sub: 'nobody', scope: 'social:write' }, star);
    expect(errorCodes(unlinked)).toEqual(['FORBIDDEN']);
    expect(await providerCalls()).toEqual(NO_CALLS);

    // Bob's login is not the account the subgraph's token acts as.
    const notTheAccount = await as(claimsOf(bob, 'social:write'), 'mutation { postTweet(text: "hello from bob") { id } }');
    expect(errorCodes(notTheAccount)).toEqual(['FORBIDDEN']);
    expect((await emulatorRequests(live.app, 'twitter'))['POST /2/tweets'] ?? 0).toBe(0);

    const self = await as(claimsOf(ada, 'social:write'), 'mutation { postTweet(text: "hello from ada") { id text } }');
    expect(self.body.errors).toBeUndefined();
  });
});

describe("the app's GitHub token", () => {
  // GITHUB_TOKEN is Ada's (@adaokafor): GitHub shows it her private repositories and her organizations'.
  const PRIVATE = ['adaokafor/notes', 'open-ledger/governance'];

  it('sees private repositories at GitHub, which its shared, cached reads never hand to anyone', async () => {
    const github = graphql.defaults({ baseUrl: emulatorUrl(live.app, 'github'), headers: { authorization: `bearer ${DEFAULT_GITHUB_EMULATOR_TOKEN}` } });
    const direct = await github<{ r: { isPrivate: boolean } | null; s: { nodes: { nameWithOwner: string }[] } }>(
      'query { r: repository(owner: "adaokafor", name: "notes") { isPrivate } s: search(query: "notes", type: REPOSITORY, first: 20) { nodes { ... on Repository { nameWithOwner } } } }',
    );
    expect(direct.r).toEqual({ isPrivate: true });
    expect(direct.s.nodes.map((n) => n.nameWithOwner)).toEqual(expect.arrayContaining(PRIVATE));

    // Not to Bob, nor to Ada herself through the shared lookups (their answers are cached for every caller).
    for (const claims of [claimsOf(bob, 'social:read'), claimsOf(ada, ALL_SCOPES)]) {
      const one = await as(claims, '{ githubRepository(owner: "adaokafor", name: "notes") { nameWithOwner } }');
      expect(one.body).toMatchObject({ data: { githubRepository: null }, errors: [{ path: ['githubRepository'], extensions: { code: 'NOT_FOUND' } }] });
      const found = await as(claims, '{ searchGitHubRepositories(query: "notes", first: 20) { nameWithOwner } }');
      expect(found.body.errors).toBeUndefined();
      const names = (found.body.data as { searchGitHubRepositories: { nameWithOwner: string }[] }).searchGitHubRepositories.map((r) => r.nameWithOwner);
      expect(names).toContain('meilinchen/paper-notes');
      expect(names.filter((name) => PRIVATE.includes(name))).toEqual([]);
    }
  });

  it('still stars a private repository of its own account for that account’s principal (a write as the token, looked up uncached)', async () => {
    const star = (starred: boolean) =>
      as(claimsOf(ada, ALL_SCOPES), `mutation ($r: String!) { ${starred ? 'star' : 'unstar'}GitHubRepository(nameWithOwner: $r) { nameWithOwner isPrivate } }`, { r: 'adaokafor/notes' });
    const starred = await star(true);
    expect(starred.body).toEqual({ data: { starGitHubRepository: { nameWithOwner: 'adaokafor/notes', isPrivate: true } } });
    expect((await star(false)).body.errors).toBeUndefined();
    // Bob is not the token's account: refused before any lookup.
    const refused = await as(claimsOf(bob, 'social:read social:write'), 'mutation { starGitHubRepository(nameWithOwner: "adaokafor/notes") { nameWithOwner } }');
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });
});

describe('viewer', () => {
  const VIEWER = /* GraphQL */ `
    {
      viewer {
        id
        customer { id paymentIntents(first: 2) { nodes { id } } invoices(first: 2) { nodes { id } } }
        github { login repositories(first: 2) { nameWithOwner } }
        twitter { username tweets(first: 5) { edges { node { id } } } }
        files(first: 50) { nodes { key } }
      }
    }
  `;
  type Viewer = { viewer: { id: string; customer: { id: string } | null; github: { login: string } | null; twitter: { username: string } | null; files: { nodes: { key: string }[] } | null } };

  it('answers the caller’s own data from every provider in one query', async () => {
    const response = await as(claimsOf(ada, ALL_SCOPES), VIEWER);
    expect(response.body.errors).toBeUndefined();
    const viewer = (response.body.data as Viewer).viewer;
    expect(viewer).toMatchObject({ id: `user-${ada.id}`, customer: { id: ada.id }, github: { login: ada.githubLogin }, twitter: { username: ada.twitterUsername } });
    expect(viewer.files!.nodes.length).toBeGreaterThan(0);
    expect(viewer.files!.nodes.every((file) => file.key.startsWith(`customers/${ada.id}/`))).toBe(true);
  });

  it('leaves out, with FORBIDDEN at its path, what the token has no scope for', async () => {
    const response = await as(claimsOf(ada, 'payments:read'), '{ viewer { customer { id } github { login } } }');
    expect(response.body.data).toEqual({ viewer: { customer: { id: ada.id }, github: null } });
    expect(response.body.errors).toMatchObject([{ path: ['viewer', 'github'], extensions: { code: 'FORBIDDEN' } }]);
  });

  it('never serves one user’s cached answer to another', async () => {
    const first = await as(claimsOf(ada, ALL_SCOPES), VIEWER);
    const second = await as(claimsOf(bob, ALL_SCOPES), VIEWER);
    const again = await as(claimsOf(ada, ALL_SCOPES), VIEWER);
    const bobs = (second.body.data as Viewer).viewer;
    expect(bobs.customer!.id).toBe(bob.id);
    expect(bobs.github!.login).toBe(bob.githubLogin);
    expect(bobs.files!.nodes.every((file) => file.key.startsWith(`customers/${bob.id}/`))).toBe(true);
    expect(again.body).toEqual(first.body);

    // Bob asking by id for what Ada's queries just cached: refused, and still no provider call.
    await Promise.all(PROVIDERS.map((p) => resetEmulatorRequests(live.app, p)));
    const cachedForAda = await as(claimsOf(bob, ALL_SCOPES), `{ customer(id: "${ada.id}") { id email } }`);
    expect(errorCodes(cachedForAda)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(cachedForAda.body)).not.toContain(ada.email);
    expect(await providerCalls()).toEqual(NO_CALLS);
  });
});
