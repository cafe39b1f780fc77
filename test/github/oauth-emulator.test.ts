import { randomBytes } from 'node:crypto';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GITHUB_EMULATOR_TOKEN, GITHUB_EMULATOR_OAUTH_CLIENT, startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { userAccessToken } from '../../emulators/twitter/user-token.ts';
import { seedTwitterUser } from '../../emulators/twitter/fixtures/seed.ts';
import { s256 } from '../../kit/connections/pkce.ts';
import { decideOnConsentPage } from '../connections/browser.ts';

const CALLBACK = 'http://127.0.0.1:3999/oauth/github/callback';
const { clientId, clientSecret } = GITHUB_EMULATOR_OAUTH_CLIENT;
const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret!}`).toString('base64')}`;

/** GitHub's web flow and token endpoint, spoken over plain HTTP as an OAuth library would. */
describe("the GitHub emulator's OAuth server", () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await startGitHubEmulator({ port: 0 });
  });
  afterAll(() => gh?.close());

  const viewerOf = async (token: string) =>
    (await graphql<{ viewer: { login: string } }>('query { viewer { login } }', { baseUrl: gh.url, headers: { authorization: `bearer ${token}` } })).viewer.login;
  const refusal = (token: string) => viewerOf(token).then(() => undefined, (e: unknown) => (e as { status?: unknown }).status);
  /** Approves as `login` and returns the code (with the PKCE verifier when `pkce`). */
  const code = async (login: string, pkce = true) => {
    const verifier = randomBytes(48).toString('base64url');
    const url = new URL(`${gh.url}/login/oauth/authorize`);
    url.search = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, scope: 'read:user public_repo', state: 's1', ...(pkce ? { code_challenge: s256(verifier), code_challenge_method: 'S256' } : {}) }).toString();
    const { location } = await decideOnConsentPage(url.toString(), 'Authorize app', login);
    const back = new URL(location);
    expect(back.searchParams.get('state')).toBe('s1');
    return { code: back.searchParams.get('code')!, verifier };
  };
  const token = async (params: Record<string, string>, headers: Record<string, string> = { accept: 'application/json' }) => {
    const response = await fetch(`${gh.url}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret!, ...params }) });
    expect(response.status).toBe(200);
    return { type: response.headers.get('content-type'), text: await response.text() };
  };
  const json = async (params: Record<string, string>) => JSON.parse((await token(params)).text) as Record<string, string | number>;

  it('issues ghu_ tokens for 8 hours with 6-month ghr_ refresh tokens, acting as the user who approved', async () => {
    const { code: c, verifier } = await code('dsokolov');
    const answer = await json({ code: c, code_verifier: verifier, redirect_uri: CALLBACK });
    expect(answer).toMatchObject({ token_type: 'bearer', expires_in: 28_800, refresh_token_expires_in: 15_811_200, scope: 'read:user,public_repo' });
    expect(answer['access_token']).toMatch(/^ghu_[A-Za-z0-9]{36}$/);
    expect(answer['refresh_token']).toMatch(/^ghr_/);
    expect(await viewerOf(String(answer['access_token']))).toBe('dsokolov');
    // The emulator's own token is still the seed viewer's.
    expect(await viewerOf(DEFAULT_GITHUB_EMULATOR_TOKEN)).toBe('adaokafor');
    // A code works once; errors come as GitHub sends them: HTTP 200 with `error`.
    expect(await json({ code: c, code_verifier: verifier, redirect_uri: CALLBACK })).toMatchObject({ error: 'bad_verification_code' });
  });

  it('answers form-encoded unless asked for JSON, and takes a JSON body', async () => {
    const first = await code('farahh', false);
    const form = await token({ code: first.code, redirect_uri: CALLBACK }, {});
    expect(form.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(form.text).get('access_token')).toMatch(/^ghu_/);
    const second = await code('farahh', false);
    const response = await fetch(`${gh.url}/login/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, code: second.code, redirect_uri: CALLBACK }),
    });
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^ghu_/);
    expect(await json({ code: 'nope', redirect_uri: CALLBACK, client_secret: 'wrong' })).toMatchObject({ error: 'incorrect_client_credentials' });
  });

  it('enforces PKCE when the authorization asked for it', async () => {
    const { code: c } = await code('dsokolov');
    expect(await json({ code: c, code_verifier: randomBytes(48).toString('base64url'), redirect_uri: CALLBACK })).toMatchObject({ error: 'bad_verification_code' });
  });

  it('rotates refresh tokens: the used one and its access token stop working; tokens expire by the emulator clock', async () => {
    const { code: c, verifier } = await code('ilarsen');
    const issued = await json({ code: c, code_verifier: verifier, redirect_uri: CALLBACK });
    const refreshed = await json({ grant_type: 'refresh_token', refresh_token: String(issued['refresh_token']) });
    expect(refreshed['access_token']).toMatch(/^ghu_/);
    expect(await refusal(String(issued['access_token']))).toBe(401);
    expect(await viewerOf(String(refreshed['access_token']))).toBe('ilarsen');
    expect(await json({ grant_type: 'refresh_token', refresh_token: String(issued['refresh_token']) })).toMatchObject({ error: 'bad_refresh_token' });
    // A spent refresh token presented again revokes the whole grant (someone else holds it).
    expect(await refusal(String(refreshed['access_token']))).toBe(401);

    const again = await code('ilarsen');
    const live = await json({ code: again.code, code_verifier: again.verifier, redirect_uri: CALLBACK });
    const clock = await fetch(`${gh.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 28_800 }) });
    expect(clock.status).toBe(200);
    expect(await refusal(String(live['access_token']))).toBe(401);
    expect((await json({ grant_type: 'refresh_token', refresh_token: String(live['refresh_token']) }))['access_token']).toMatch(/^ghu_/);
  });

  it('deletes an app authorization (DELETE /applications/{client_id}/grant) with the app’s Basic credentials', async () => {
    const { code: c, verifier } = await code('priyaraman');
    const issued = await json({ code: c, code_verifier: verifier, redirect_uri: CALLBACK });
    const grant = (authorization: string, body: unknown) =>
      fetch(`${gh.url}/applications/${clientId}/grant`, { method: 'DELETE', headers: { authorization, 'content-type': 'application/json', accept: 'application/vnd.github+json' }, body: JSON.stringify(body) });
    expect((await grant(`Basic ${Buffer.from(`${clientId}:wrong`).toString('base64')}`, { access_token: issued['access_token'] })).status).toBe(404);
    expect((await grant(basic, {})).status).toBe(422);
    expect(await viewerOf(String(issued['access_token']))).toBe('priyaraman');
    expect((await grant(basic, { access_token: issued['access_token'] })).status).toBe(204);
    expect(await refusal(String(issued['access_token']))).toBe(401);
    expect(await json({ grant_type: 'refresh_token', refresh_token: String(issued['refresh_token']) })).toMatchObject({ error: 'bad_refresh_token' });
  });

  it('refuses tokens other emulators issued', async () => {
    expect(await refusal(userAccessToken(seedTwitterUser('ada_builds').id))).toBe(401);
  });
});
