import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { DEFAULT_GITHUB_EMULATOR_TOKEN, GITHUB_EMULATOR_OAUTH_CLIENT, startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { GITHUB_SEED } from '../../emulators/github/fixtures/seed.ts';
import { parseKeyring } from '../../kit/connections/keyring.ts';
import { openTokens } from '../../kit/connections/store.ts';
import { connectionMigrations, type ConnectionTables } from '../../kit/connections/tables.ts';
import { startTestApp } from '../support/app.ts';
import { openTestDatabase, postgresAvailable, POSTGRES_URL, type TestDatabase } from '../support/database.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { CONFIRM, decideOnConsentPage, ticketFrom } from './browser.ts';

const hasPostgres = await postgresAvailable();
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const RETURN_TO = 'http://localhost:3000/settings/connections';
// Kwame has no `github` claim: his connection alone links him to @kmensah. GITHUB_TOKEN is @adaokafor's.
const KWAME = { sub: 'user-kwame', scope: 'social:read social:write' };
const REPO = 'dsokolov/fastjson-rs';

const CONNECT = 'mutation ($p: ConnectionProvider!, $r: String!) { connectAccount(provider: $p, redirectUri: $r) { authorizationUrl expiresAt } }';
const CONNECTIONS = '{ viewer { id connections { provider login providerUserId scopes status expiresAt } } }';
const STAR = 'mutation ($r: String!) { starGitHubRepository(nameWithOwner: $r) { nameWithOwner stars } }';
const ISSUE = 'mutation ($t: String!) { createGitHubIssue(input: { nameWithOwner: "dsokolov/fastjson-rs", title: $t }) { number title } }';
const PRIVATE = '{ viewer { githubRepositories(first: 50) { nameWithOwner isPrivate } } }';

describe.skipIf(!hasPostgres)('connecting a GitHub account (two gateway replicas on one Postgres)', () => {
  let gh: GitHubEmulator;
  let database: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let auditDir: string;
  /** The emulator's own data, read as an operator would, with the app's token. */
  let emulatorData: typeof graphql;
  /** A replica's environment (its own audit file). */
  let envOf: (replica: string) => Record<string, string>;

  beforeAll(async () => {
    gh = await startGitHubEmulator({ port: 0 });
    emulatorData = graphql.defaults({ baseUrl: gh.url, headers: { authorization: `bearer ${DEFAULT_GITHUB_EMULATOR_TOKEN}` } });
    database = await openTestDatabase(connectionMigrations);
    auditDir = await mkdtemp(join(tmpdir(), 'github-connections-audit-'));
    envOf = (replica: string) => ({
      GITHUB_TOKEN: DEFAULT_GITHUB_EMULATOR_TOKEN,
      GITHUB_API_BASE: gh.url,
      GITHUB_OAUTH_CLIENT_ID: GITHUB_EMULATOR_OAUTH_CLIENT.clientId,
      GITHUB_OAUTH_CLIENT_SECRET: GITHUB_EMULATOR_OAUTH_CLIENT.clientSecret!,
      GITHUB_OAUTH_BASE: gh.url,
      CONNECTIONS_ENCRYPTION_KEYS: KEYS,
      DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`,
      AUDIT_LOG_FILE: join(auditDir, `${replica}.jsonl`),
    });
    [a, b] = await Promise.all([startTestApp(envOf('a')), startTestApp(envOf('b'))]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await gh?.close();
    await database?.close();
    await rm(auditDir, { recursive: true, force: true });
  });

  const as = async (app: RunningApp, query: string, variables?: Record<string, unknown>, claims: Record<string, unknown> = KWAME) =>
    postGraphQL(app.gateway.url, query, variables, await authorization(claims));
  const audit = async () =>
    (await Promise.all(['a', 'b'].map((r) => readFile(join(auditDir, `${r}.jsonl`), 'utf8').catch(() => ''))))
      .join('\n')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { field: string; outcome: string; principal: string });
  const storedTokens = async () => {
    const row = await database.db.withTables<ConnectionTables>().selectFrom('connections').selectAll().where('subject', '=', KWAME.sub).executeTakeFirstOrThrow();
    return { row, ...openTokens(parseKeyring(KEYS), row) };
  };
  const starredBy = async (login: string) =>
    (await emulatorData<{ user: { starredRepositories: { nodes: { nameWithOwner: string }[] } } }>('query ($l: String!) { user(login: $l) { starredRepositories(first: 100) { nodes { nameWithOwner } } } }', { l: login })).user.starredRepositories.nodes.map((n) => n.nameWithOwner);
  /** Starts a flow as `claims` (Kwame unless told) and consents as `login` in a browser; the callback's answer. */
  const consentAs = async (app: RunningApp, login: string, claims: Record<string, unknown> = KWAME) => {
    const started = await as(app, CONNECT, { p: 'GITHUB', r: RETURN_TO }, claims);
    expect(started.body.errors).toBeUndefined();
    const { authorizationUrl } = (started.body.data as { connectAccount: { authorizationUrl: string } }).connectAccount;
    const { page, location } = await decideOnConsentPage(authorizationUrl, 'Authorize app', login);
    return { authorizationUrl, page, location, callback: await fetch(location, { redirect: 'manual' }) };
  };
  /** Connects Kwame's account as @kmensah: consent, callback, and the application's confirmation (on the other replica). */
  const connectAsKmensah = async (app: RunningApp) => {
    const consented = await consentAs(app, 'kmensah');
    const confirmed = await as(app === a ? b : a, CONFIRM, { t: ticketFrom(consented.callback).ticket });
    return { ...consented, confirmed };
  };

  it('connects through the consent page, stars and opens issues as the user, reads their private repositories, refreshes once across replicas, and disconnects', async () => {
    const { authorizationUrl, page, location, callback, confirmed } = await connectAsKmensah(a);
    const asked = new URL(authorizationUrl);
    expect(asked.origin + asked.pathname).toBe(`${gh.url}/login/oauth/authorize`);
    expect(asked.searchParams.get('client_id')).toBe(GITHUB_EMULATOR_OAUTH_CLIENT.clientId);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('scope')).toBe('read:user public_repo');
    expect(asked.searchParams.get('redirect_uri')).toBe(`${a.gateway.url.replace(/\/graphql$/, '')}/oauth/github/callback`);
    expect(authorizationUrl).not.toMatch(/verifier/);
    expect(page).toContain('wants to access your GitHub account');
    expect(new URL(location).pathname).toBe('/oauth/github/callback');
    expect(callback.status).toBe(303);
    expect(ticketFrom(callback)).toMatchObject({ page: RETURN_TO, provider: 'github', ticket: expect.stringMatching(/^[\w-]{43}$/) });
    expect(confirmed.body).toEqual({ data: { confirmConnection: { provider: 'GITHUB', login: 'kmensah', status: 'ACTIVE' } } });

    // Listed on the other replica; no token in the answer, none in the database in clear.
    const kmensah = GITHUB_SEED.users.find((u) => u.login === 'kmensah')!;
    const listed = await as(b, CONNECTIONS);
    expect(listed.body.data).toMatchObject({
      viewer: { id: KWAME.sub, connections: [{ provider: 'GITHUB', login: 'kmensah', providerUserId: String(kmensah.databaseId), scopes: ['read:user', 'public_repo'], status: 'ACTIVE' }] },
    });
    const stored = await storedTokens();
    expect(stored.accessToken).toMatch(/^ghu_[A-Za-z0-9]{36}$/);
    expect(stored.refreshToken).toMatch(/^ghr_/);
    expect(JSON.stringify(listed.body)).not.toContain(stored.accessToken);
    expect(stored.row.access_token).not.toContain(stored.accessToken);
    // GitHub App user tokens: 8 hours, refresh tokens 6 months.
    expect(stored.row.access_expires_at!.getTime() - Date.now()).toBeGreaterThan(28_700_000);
    expect(stored.row.refresh_expires_at!.getTime() - Date.now()).toBeGreaterThan(15_811_000_000);

    // Starring through the gateway: attributed to @kmensah at GitHub, not to GITHUB_TOKEN's @adaokafor.
    expect(await starredBy('kmensah')).not.toContain(REPO);
    const adaStarsBefore = await starredBy('adaokafor');
    const addStarsBefore = gh.requests.count('mutation addStar');
    const starred = await as(a, STAR, { r: REPO });
    expect(starred.body.errors).toBeUndefined();
    expect(gh.requests.count('mutation addStar') - addStarsBefore).toBe(1);
    expect(await starredBy('kmensah')).toContain(REPO);
    expect(await starredBy('adaokafor')).toEqual(adaStarsBefore);

    // Private repositories: @kmensah's token sees open-ledger's private one and nothing of @adaokafor's.
    const repositories = await as(b, PRIVATE);
    expect(repositories.body.errors).toBeUndefined();
    const listedRepositories = (repositories.body.data as { viewer: { githubRepositories: { nameWithOwner: string; isPrivate: boolean }[] } }).viewer.githubRepositories;
    expect(listedRepositories).toContainEqual({ nameWithOwner: 'open-ledger/governance', isPrivate: true });
    expect(listedRepositories.every((r) => /^(kmensah|open-ledger)\//.test(r.nameWithOwner))).toBe(true);

    // Eight hours later at GitHub: every replica's token is refused (401); exactly one refresh, shared by both.
    gh.advanceClock(28_800 + 60);
    const refreshesBefore = gh.oauth.tokenRequests.refresh_token;
    const results = await Promise.all([a, b, a, b].map((app, i) => as(app, ISSUE, { t: `Opened after eight hours, ${i}` })));
    for (const result of results) expect(result.body.errors).toBeUndefined();
    expect(gh.oauth.tokenRequests.refresh_token - refreshesBefore).toBe(1);
    const refreshed = await storedTokens();
    expect(refreshed.accessToken).not.toBe(stored.accessToken);
    expect(refreshed.refreshToken).not.toBe(stored.refreshToken);
    const issues = await emulatorData<{ repository: { issues: { nodes: { title: string; author: { login: string } }[] } } }>(
      'query { repository(owner: "dsokolov", name: "fastjson-rs") { issues(last: 4) { nodes { title author { login } } } } }',
    );
    expect(issues.repository.issues.nodes.map((n) => n.author.login)).toEqual(['kmensah', 'kmensah', 'kmensah', 'kmensah']);

    // Disconnect: revoked at GitHub (the token it issued is refused by its API), deleted here, writes refused.
    const disconnected = await as(b, 'mutation { disconnectAccount(provider: GITHUB) { provider disconnected revokedAtProvider } }');
    expect(disconnected.body.data).toEqual({ disconnectAccount: { provider: 'GITHUB', disconnected: true, revokedAtProvider: true } });
    const direct = await graphql('query { viewer { login } }', { baseUrl: gh.url, headers: { authorization: `bearer ${refreshed.accessToken}` } }).catch((e: unknown) => e);
    expect((direct as { status?: unknown }).status).toBe(401);
    expect(errorCodes(await as(a, STAR, { r: REPO }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as(a, PRIVATE))).toEqual(['CONNECTION_REQUIRED']);
    expect((await as(a, CONNECTIONS)).body.data).toEqual({ viewer: { id: KWAME.sub, connections: [] } });

    const records = await audit();
    expect(records.filter((r) => r.principal === KWAME.sub).map((r) => `${r.field}:${r.outcome}`)).toEqual(
      expect.arrayContaining(['connectAccount:ok', 'connectAccountCallback:AWAITING_CONFIRMATION', 'confirmConnection:ok', 'disconnectAccount:ok']),
    );
  }, 60_000);

  it('stars and opens issues in a private repository the user can see, looked up with their token and never cached for others', async () => {
    const { confirmed } = await connectAsKmensah(a);
    expect(confirmed.body.errors).toBeUndefined();
    const governance = 'open-ledger/governance';
    const starred = await as(b, 'mutation ($r: String!) { starGitHubRepository(nameWithOwner: $r) { nameWithOwner isPrivate } }', { r: governance });
    expect(starred.body).toEqual({ data: { starGitHubRepository: { nameWithOwner: governance, isPrivate: true } } });
    expect(await starredBy('kmensah')).toContain(governance);
    const issue = await as(a, 'mutation { createGitHubIssue(input: { nameWithOwner: "open-ledger/governance", title: "RFC process" }) { title repository { nameWithOwner isPrivate } } }');
    expect(issue.body).toEqual({ data: { createGitHubIssue: { title: 'RFC process', repository: { nameWithOwner: governance, isPrivate: true } } } });
    // Anyone's shared read of it, Kwame's included, finds nothing: the app's lookups are public-only.
    const shared = await as(a, '{ githubRepository(owner: "open-ledger", name: "governance") { nameWithOwner } }');
    expect(errorCodes(shared)).toEqual(['NOT_FOUND']);
    expect((await as(a, 'mutation ($r: String!) { unstarGitHubRepository(nameWithOwner: $r) { nameWithOwner } }', { r: governance })).body.errors).toBeUndefined();
    expect(await starredBy('kmensah')).not.toContain(governance);
    await as(a, 'mutation { disconnectAccount(provider: GITHUB) { disconnected } }');
  }, 30_000);

  it('answers CONNECTION_REQUIRED when the user revoked the app at GitHub, and marks the connection REVOKED', async () => {
    const { confirmed } = await connectAsKmensah(b);
    expect(confirmed.body.errors).toBeUndefined();
    const { accessToken } = await storedTokens();
    // As "Revoke" under GitHub's Settings → Applications does: every token of the grant stops working.
    gh.oauth.revoke(accessToken);
    const refused = await as(a, STAR, { r: REPO });
    expect(errorCodes(refused)).toEqual(['CONNECTION_REQUIRED']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ provider: 'github', status: 'REVOKED' });
    expect((await as(b, CONNECTIONS)).body.data).toMatchObject({ viewer: { connections: [{ provider: 'GITHUB', status: 'REVOKED' }] } });
    expect((await audit()).some((r) => r.principal === KWAME.sub && r.field === 'refreshConnection' && r.outcome === 'CONNECTION_REVOKED')).toBe(true);
    await as(a, 'mutation { disconnectAccount(provider: GITHUB) { disconnected } }');
  }, 30_000);

  it('connects nobody when a link started by one user is finished in another user’s browser, and revokes that grant', async () => {
    // Mallory starts a flow and gets Kwame to open its link: Kwame consents as @kmensah in his own browser.
    const mallory = { sub: 'user-mallory', scope: 'social:read social:write' };
    const { callback } = await consentAs(a, 'kmensah', mallory);
    const { ticket } = ticketFrom(callback);
    // The callback connected nothing: the account waits for the user who started to confirm it.
    expect((await as(b, CONNECTIONS, {}, mallory)).body.data).toEqual({ viewer: { id: 'user-mallory', connections: [] } });
    // Kwame's application, back on its page, confirms as Kwame: refused, and the grant goes back to GitHub.
    const revokedBefore = gh.oauth.tokenRequests.revoke;
    const refused = await as(b, CONFIRM, { t: ticket });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(gh.oauth.tokenRequests.revoke).toBe(revokedBefore + 1);
    expect((await as(a, CONNECTIONS)).body.data).toEqual({ viewer: { id: KWAME.sub, connections: [] } });
    // The ticket was spent by that refusal: Mallory, had she seen it, gets nothing either.
    const late = await as(a, CONFIRM, { t: ticket }, mallory);
    expect(errorCodes(late)).toEqual(['BAD_USER_INPUT']);
    expect((await as(a, CONNECTIONS, {}, mallory)).body.data).toEqual({ viewer: { id: 'user-mallory', connections: [] } });
    expect(await database.db.withTables<ConnectionTables>().selectFrom('connection_confirmations').selectAll().execute()).toEqual([]);
    const records = await audit();
    expect(records.some((r) => r.principal === 'user-mallory' && r.field === 'connectAccountCallback' && r.outcome === 'AWAITING_CONFIRMATION')).toBe(true);
    expect(records.some((r) => r.principal === KWAME.sub && r.field === 'confirmConnection' && r.outcome === 'FORBIDDEN')).toBe(true);
  }, 30_000);

  it('lets a confirmation expire without revoking the grant of the same account’s existing connection', async () => {
    // A replica whose links and tickets last one second.
    const quick = await startTestApp({ ...envOf('c'), CONNECTIONS_STATE_TTL_SECONDS: '1' });
    try {
      const { confirmed } = await connectAsKmensah(quick);
      expect(confirmed.body.errors).toBeUndefined();
      // Kwame connects the same account again and confirms too late: refused, and since @kmensah is
      // connected here, the grant stays (GitHub would revoke it whole, the existing connection's tokens too).
      const { callback } = await consentAs(quick, 'kmensah');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const revokedBefore = gh.oauth.tokenRequests.revoke;
      expect(errorCodes(await as(quick, CONFIRM, { t: ticketFrom(callback).ticket }))).toEqual(['BAD_USER_INPUT']);
      expect(gh.oauth.tokenRequests.revoke).toBe(revokedBefore);
      expect((await as(a, STAR, { r: REPO })).body.errors).toBeUndefined();
      expect((await as(b, CONNECTIONS)).body.data).toMatchObject({ viewer: { connections: [{ provider: 'GITHUB', login: 'kmensah', status: 'ACTIVE' }] } });
    } finally {
      await as(a, 'mutation { disconnectAccount(provider: GITHUB) { disconnected } }');
      await quick.close();
    }
  }, 30_000);

  it('shows a readable page and stores nothing when the user denies consent', async () => {
    const bob = { sub: 'user-bob', scope: 'social:read social:write' };
    const started = await as(a, CONNECT, { p: 'GITHUB', r: RETURN_TO }, bob);
    const { authorizationUrl } = (started.body.data as { connectAccount: { authorizationUrl: string } }).connectAccount;
    const { location } = await decideOnConsentPage(authorizationUrl, 'Cancel', 'dsokolov');
    expect(new URL(location).searchParams.get('error')).toBe('access_denied');
    const callback = await fetch(location, { redirect: 'manual' });
    expect(callback.status).toBe(403);
    const page = await callback.text();
    expect(page).toContain('You declined to give the application access to your GitHub account');
    expect(page).toContain(`${RETURN_TO}?error=access_denied`);
    expect((await as(b, CONNECTIONS, {}, bob)).body.data).toEqual({ viewer: { id: 'user-bob', connections: [] } });
    // Without a connection (and not GITHUB_TOKEN's account), private repositories need one.
    expect(errorCodes(await as(b, PRIVATE, {}, bob))).toEqual(['CONNECTION_REQUIRED']);
    expect((await audit()).some((r) => r.principal === 'user-bob' && r.field === 'connectAccountCallback' && r.outcome === 'ACCESS_DENIED')).toBe(true);
  }, 30_000);

  it('still writes and reads as GITHUB_TOKEN for its own account’s principal, without a connection', async () => {
    const ada = { sub: 'user-ada', scope: 'social:read social:write', github: 'adaokafor' };
    const unstarred = await as(a, 'mutation ($r: String!) { unstarGitHubRepository(nameWithOwner: $r) { nameWithOwner } }', { r: 'dsokolov/fastjson-rs' }, ada);
    expect(unstarred.body.errors).toBeUndefined();
    const repositories = await as(a, PRIVATE, {}, ada);
    expect((repositories.body.data as { viewer: { githubRepositories: { nameWithOwner: string }[] } }).viewer.githubRepositories).toContainEqual({ nameWithOwner: 'adaokafor/notes', isPrivate: true });
  }, 30_000);
});
