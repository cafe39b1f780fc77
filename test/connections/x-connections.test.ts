import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN, DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET, startTwitterEmulator, TWITTER_EMULATOR_OAUTH_CLIENT, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { userAccessToken } from '../../emulators/twitter/user-token.ts';
import { seedTwitterUser } from '../../emulators/twitter/fixtures/seed.ts';
import { parseKeyring } from '../../kit/connections/keyring.ts';
import { openTokens } from '../../kit/connections/store.ts';
import { connectionMigrations, type ConnectionTables } from '../../kit/connections/tables.ts';
import { baseUrlPlugin, clientSettingsFor } from '../../subgraphs/twitter/base-url-plugin.ts';
import { startTestApp } from '../support/app.ts';
import { openTestDatabase, postgresAvailable, POSTGRES_URL, type TestDatabase } from '../support/database.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { CONFIRM, decideOnConsentPage, ticketFrom } from './browser.ts';

const hasPostgres = await postgresAvailable();
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const RETURN_TO = 'http://localhost:3000/settings/connections';
const ADA = { sub: 'user-ada', scope: 'social:read social:write' };

const CONNECT = 'mutation ($p: ConnectionProvider!, $r: String!) { connectAccount(provider: $p, redirectUri: $r) { authorizationUrl expiresAt } }';
const CONNECTIONS = '{ viewer { id connections { provider login providerUserId scopes status expiresAt } } }';
const POST = 'mutation ($t: String!) { postTweet(text: $t) { id text author { username } } }';

describe.skipIf(!hasPostgres)('connecting an X account (two gateway replicas on one Postgres)', () => {
  let x: TwitterEmulator;
  let database: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let auditDir: string;

  beforeAll(async () => {
    x = await startTwitterEmulator({ port: 0 });
    database = await openTestDatabase(connectionMigrations);
    auditDir = await mkdtemp(join(tmpdir(), 'connections-audit-'));
    const env = (replica: string) => ({
      TWITTER_BEARER_TOKEN: DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN,
      TWITTER_CONSUMER_SECRET: DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET,
      TWITTER_API_BASE: x.url,
      // The configured account is someone else: a post by Ada can only have used her own token.
      TWITTER_USER_ACCESS_TOKEN: userAccessToken(seedTwitterUser('carmenvilla').id),
      TWITTER_OAUTH_CLIENT_ID: TWITTER_EMULATOR_OAUTH_CLIENT.clientId,
      TWITTER_OAUTH_CLIENT_SECRET: TWITTER_EMULATOR_OAUTH_CLIENT.clientSecret!,
      CONNECTIONS_ENCRYPTION_KEYS: KEYS,
      DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`,
      AUDIT_LOG_FILE: join(auditDir, `${replica}.jsonl`),
    });
    [a, b] = await Promise.all([startTestApp(env('a')), startTestApp(env('b'))]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await x?.close();
    await database?.close();
    await rm(auditDir, { recursive: true, force: true });
  });

  const as = async (app: RunningApp, query: string, variables?: Record<string, unknown>) => postGraphQL(app.gateway.url, query, variables, await authorization(ADA));
  const audit = async () =>
    (await Promise.all(['a', 'b'].map((r) => readFile(join(auditDir, `${r}.jsonl`), 'utf8').catch(() => ''))))
      .join('\n')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { field: string; outcome: string; principal: string });
  const storedTokens = async () => {
    const row = await database.db.withTables<ConnectionTables>().selectFrom('connections').selectAll().where('subject', '=', 'user-ada').executeTakeFirstOrThrow();
    return { row, ...openTokens(parseKeyring(KEYS), row) };
  };

  it('connects through the consent page, posts with the user’s own token, refreshes once across replicas, and disconnects', async () => {
    // connectAccount: the provider's URL, with an S256 challenge and no verifier.
    const started = await as(a, CONNECT, { p: 'TWITTER', r: RETURN_TO });
    expect(started.body.errors).toBeUndefined();
    const authorizationUrl = (started.body.data as { connectAccount: { authorizationUrl: string } }).connectAccount.authorizationUrl;
    const asked = new URL(authorizationUrl);
    expect(asked.origin + asked.pathname).toBe(`${x.url}/i/oauth2/authorize`);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('scope')).toBe('tweet.read tweet.write users.read offline.access');
    expect(asked.searchParams.get('redirect_uri')).toBe(`${a.gateway.url.replace(/\/graphql$/, '')}/oauth/twitter/callback`);
    expect(authorizationUrl).not.toMatch(/verifier/);

    // The browser: consent page, Approve, back to the gateway, then to the application.
    const { page, location } = await decideOnConsentPage(authorizationUrl, 'Authorize app');
    expect(page).toContain('wants to access your X account');
    const callback = await fetch(location, { redirect: 'manual' });
    const { page: returnedTo, provider, ticket } = ticketFrom(callback);
    expect({ returnedTo, provider }).toEqual({ returnedTo: RETURN_TO, provider: 'twitter' });
    // Nothing is connected until the application confirms, as Ada, on the other replica.
    expect((await as(a, CONNECTIONS)).body.data).toEqual({ viewer: { id: 'user-ada', connections: [] } });
    const confirmed = await as(b, CONFIRM, { t: ticket });
    expect(confirmed.body).toEqual({ data: { confirmConnection: { provider: 'TWITTER', login: 'ada_builds', status: 'ACTIVE' } } });
    expect(errorCodes(await as(a, CONFIRM, { t: ticket }))).toEqual(['BAD_USER_INPUT']);

    // The state is single-use: the same callback again is a page saying so.
    const replay = await fetch(location, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toMatch(/text\/html/);
    expect(await replay.text()).toMatch(/already used/);

    // Listed on the other replica; no token in the answer, none in the database in clear.
    const listed = await as(b, CONNECTIONS);
    expect(listed.body.data).toMatchObject({
      viewer: { id: 'user-ada', connections: [{ provider: 'TWITTER', login: 'ada_builds', providerUserId: seedTwitterUser('ada_builds').id, status: 'ACTIVE' }] },
    });
    const stored = await storedTokens();
    expect(JSON.stringify(listed.body)).not.toContain(stored.accessToken);
    expect(stored.row.access_token).not.toContain(stored.accessToken);
    expect(stored.row.key_id).toBe('k1');

    // Posting needs no `twitter` claim: the connection is Ada's linked identity, and her token posts.
    const posted = await as(a, POST, { t: 'Posted with my own connected account' });
    expect(posted.body.errors).toBeUndefined();
    expect(posted.body.data).toMatchObject({ postTweet: { author: { username: 'ada_builds' } } });

    // Two hours later at X: every replica's token is refused; exactly one refresh, shared by both.
    x.advanceClock(7_200 + 60);
    const refreshesBefore = x.oauth.tokenRequests.refresh_token;
    const results = await Promise.all([a, b, a, b].map((app, i) => as(app, POST, { t: `After two hours, ${i}` })));
    for (const result of results) expect(result.body.errors).toBeUndefined();
    expect(x.oauth.tokenRequests.refresh_token - refreshesBefore).toBe(1);
    const refreshed = await storedTokens();
    expect(refreshed.accessToken).not.toBe(stored.accessToken);
    expect(refreshed.refreshToken).not.toBe(stored.refreshToken);

    // Disconnect: revoked at X (the token X issued is refused there), deleted here, posting refused.
    const disconnected = await as(b, 'mutation { disconnectAccount(provider: TWITTER) { provider disconnected revokedAtProvider } }');
    expect(disconnected.body.data).toEqual({ disconnectAccount: { provider: 'TWITTER', disconnected: true, revokedAtProvider: true } });
    const agent = clientSettingsFor(x.url);
    try {
      const direct = await new TwitterApi(refreshed.accessToken, { plugins: [baseUrlPlugin(x.url)], ...agent }).v2.me().catch((e: unknown) => e);
      expect((direct as ApiResponseError).code).toBe(401);
    } finally {
      agent.httpAgent?.destroy();
    }
    const refused = await as(a, POST, { t: 'No longer connected' });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect((await as(a, CONNECTIONS)).body.data).toEqual({ viewer: { id: 'user-ada', connections: [] } });

    const records = await audit();
    expect(records.filter((r) => r.principal === 'user-ada').map((r) => `${r.field}:${r.outcome}`)).toEqual(
      expect.arrayContaining(['connectAccount:ok', 'connectAccountCallback:AWAITING_CONFIRMATION', 'confirmConnection:ok', 'disconnectAccount:ok']),
    );
    expect(records.map((r) => `${r.field}:${r.outcome}`)).toContain('connectAccountCallback:STATE_UNKNOWN');
  }, 60_000);

  it('shows a readable page and stores nothing when the user denies consent', async () => {
    const bob = { sub: 'user-bob', scope: 'social:read social:write' };
    const started = await postGraphQL(a.gateway.url, CONNECT, { p: 'TWITTER', r: RETURN_TO }, await authorization(bob));
    const { authorizationUrl } = (started.body.data as { connectAccount: { authorizationUrl: string } }).connectAccount;
    const { location } = await decideOnConsentPage(authorizationUrl, 'Cancel', 'dmitri_codes');
    expect(new URL(location).searchParams.get('error')).toBe('access_denied');
    const callback = await fetch(location, { redirect: 'manual' });
    expect(callback.status).toBe(403);
    const page = await callback.text();
    expect(page).toContain('You declined to give the application access to your X account');
    expect(page).toContain(`${RETURN_TO}?error=access_denied`);
    const listed = await postGraphQL(b.gateway.url, CONNECTIONS, {}, await authorization(bob));
    expect(listed.body.data).toEqual({ viewer: { id: 'user-bob', connections: [] } });
    expect((await audit()).some((r) => r.principal === 'user-bob' && r.field === 'connectAccountCallback' && r.outcome === 'ACCESS_DENIED')).toBe(true);
  }, 30_000);

  it('refuses return addresses outside the allowlist and anonymous callers', async () => {
    const outside = await as(a, CONNECT, { p: 'TWITTER', r: 'https://evil.example/steal' });
    expect(errorCodes(outside)).toEqual(['BAD_USER_INPUT']);
    const anonymous = await postGraphQL(a.gateway.url, CONNECT, { p: 'TWITTER', r: RETURN_TO });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});
