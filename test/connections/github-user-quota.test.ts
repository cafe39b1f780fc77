import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { DEFAULT_GITHUB_EMULATOR_TOKEN, GITHUB_EMULATOR_OAUTH_CLIENT, startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { startTestApp } from '../support/app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { connectAccountAs } from './browser.ts';

const RETURN_TO = 'http://localhost:3000/settings/connections';
// Neither has a `github` claim: their connections alone link them to @kmensah and @farahh. GITHUB_TOKEN is @adaokafor's.
const KWAME = { sub: 'user-kwame', scope: 'social:read social:write' };
const FARAH = { sub: 'user-farah', scope: 'social:read social:write' };
const HOUR_SECONDS = 3600;

const STAR = 'mutation ($r: String!) { starGitHubRepository(nameWithOwner: $r) { nameWithOwner } }';
const PRIVATE = '{ viewer { githubRepositories(first: 5) { nameWithOwner } } }';
const REPOSITORY = 'query ($o: String!, $n: String!) { githubRepository(owner: $o, name: $n) { nameWithOwner } }';
const USER = 'query ($l: String!) { githubUser(login: $l) { login } }';

/**
 * GitHub keeps one rate-limit window per user: the app's token (GITHUB_TOKEN's account) has one, and each
 * connected user's token has their own. Through the whole stack (gateway, GitHub subgraph, emulator), a
 * user who spent their window is refused for their own calls, and only those; the app's spent window
 * refuses the app's shared reads, and not a connected user's calls.
 */
describe('GitHub rate limits per identity, through the gateway', () => {
  let gh: GitHubEmulator;
  let app: RunningApp;

  beforeAll(async () => {
    gh = await startGitHubEmulator({ port: 0 });
    app = await startTestApp({
      GITHUB_TOKEN: DEFAULT_GITHUB_EMULATOR_TOKEN,
      GITHUB_API_BASE: gh.url,
      GITHUB_OAUTH_CLIENT_ID: GITHUB_EMULATOR_OAUTH_CLIENT.clientId,
      GITHUB_OAUTH_CLIENT_SECRET: GITHUB_EMULATOR_OAUTH_CLIENT.clientSecret!,
      GITHUB_OAUTH_BASE: gh.url,
      CONNECTIONS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await gh?.close();
  });

  const as = async (claims: Record<string, unknown>, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(app.gateway.url, query, variables, await authorization(claims));
  /** Connects `claims`' user to the GitHub account `login`, and checks it is active. */
  const connect = async (claims: Record<string, unknown>, login: string) =>
    expect(await connectAccountAs((query, variables) => as(claims, query, variables), 'GITHUB', login, RETURN_TO)).toEqual({
      data: { confirmConnection: { provider: 'GITHUB', login, status: 'ACTIVE' } },
    });
  const calls = () => gh.requests.count('POST /graphql');
  /** The quota gauge's GitHub lines, as `/metrics` shows them. */
  const quotaGauge = async () =>
    (await (await fetch(app.gateway.url.replace(/\/graphql$/, '/metrics'))).text()).split('\n').filter((line) => line.startsWith('fgw_provider_quota_remaining{') && line.includes('provider="github"'));

  it("refuses a connected user whose own window is spent, without calling GitHub again, while the app's shared reads go on", async () => {
    await connect(KWAME, 'kmensah');
    gh.rateLimitOf('kmensah').spend();

    // GitHub refuses Kwame's call (his window), and the subgraph then knows: the next one is refused without a call.
    const refused = await as(KWAME, STAR, { r: 'dsokolov/fastjson-rs' });
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(Number(refused.body.errors?.[0]?.extensions?.['retryAfter'])).toBeGreaterThan(HOUR_SECONDS - 120);
    const sent = calls();
    expect(errorCodes(await as(KWAME, STAR, { r: 'dsokolov/fastjson-rs' }))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await as(KWAME, PRIVATE))).toEqual(['RATE_LIMITED']);
    expect(calls()).toBe(sent);

    // The app's token has its own window: shared reads (not cached before) reach GitHub and succeed, for Kwame too.
    const repository = await as(KWAME, REPOSITORY, { o: 'kmensah', n: 'talks' });
    expect(repository.body).toEqual({ data: { githubRepository: { nameWithOwner: 'kmensah/talks' } } });
    expect((await as(FARAH, USER, { l: 'ilarsen' })).body).toEqual({ data: { githubUser: { login: 'ilarsen' } } });
    expect(calls()).toBeGreaterThan(sent);

    // Only the app's window is on the gauge (no label per user): what GitHub last said of the app's token.
    expect(await quotaGauge()).toEqual([`fgw_provider_quota_remaining{provider="github",resource="graphql"} ${gh.rateLimit.remaining()}`]);
  }, 30_000);

  // Last: it leaves the app's window spent (the subgraph backs off until its reset, an hour away).
  it("keeps serving a connected user's own calls while the app's window is spent and its shared reads are refused", async () => {
    await connect(FARAH, 'farahh');
    gh.rateLimit.spend();

    // The app's shared read is refused by GitHub, then by the subgraph without a call.
    expect(errorCodes(await as(FARAH, REPOSITORY, { o: 'dsokolov', n: 'fastjson-rs' }))).toEqual(['RATE_LIMITED']);
    const sent = calls();
    expect(errorCodes(await as(FARAH, USER, { l: 'priyaraman' }))).toEqual(['RATE_LIMITED']);
    expect(calls()).toBe(sent);

    // Farah's calls spend her own window: GitHub takes them, and so does the subgraph.
    const starred = await as(FARAH, STAR, { r: 'dsokolov/fastjson-rs' });
    expect(starred.body).toEqual({ data: { starGitHubRepository: { nameWithOwner: 'dsokolov/fastjson-rs' } } });
    expect((await as(FARAH, PRIVATE)).body.errors).toBeUndefined();
    expect(gh.rateLimitOf('farahh').remaining()).toBeLessThan(5000);
    expect(gh.rateLimit.remaining()).toBe(0);
    expect(await quotaGauge()).toEqual(['fgw_provider_quota_remaining{provider="github",resource="graphql"} 0']);
  }, 30_000);
});
