import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthAuthority, type OAuthClient, type TokenAnswer, oauthParams } from '../shared/oauth-authority.ts';
import { readBody } from '../shared/read-body.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import type { UserTokenGrant } from './auth.ts';
import type { Store } from './store.ts';

/**
 * The emulator's own GitHub App, public on purpose (it only opens the emulator): what `npm start` gives the
 * gateway as GITHUB_OAUTH_CLIENT_ID / _SECRET. It accepts any loopback callback URL, as a development app
 * would have them registered.
 */
export const GITHUB_EMULATOR_OAUTH_CLIENT: OAuthClient = {
  clientId: 'Iv1.githubemulatorapp',
  clientSecret: 'github-emulator-oauth-secret-local-development-only',
  name: 'Federation gateway (development)',
  redirectUris: [],
  allowLoopback: true,
};

/** github.com's web flow endpoints, and the REST endpoint that deletes an app authorization. */
export const GITHUB_OAUTH_PATHS = { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' } as const;
const GRANT_PATH = /^\/applications\/([^/]+)\/grant$/;

/** GitHub App user access tokens with expiration on: 8 hours, refresh tokens 6 months (GitHub's own numbers). */
export const USER_TOKEN_LIFETIME_SECONDS = 28_800;
export const REFRESH_TOKEN_LIFETIME_SECONDS = 15_811_200;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** GitHub's token shape: a prefix and 36 base62 characters (`ghu_…`). */
const githubToken = (prefix: string, length = 36) => prefix + [...randomBytes(length)].map((b) => BASE62[b % 62]).join('');

/**
 * GitHub's authorization server for a GitHub App with expiring user tokens: the consent page, the code
 * exchange (PKCE S256 accepted and then enforced), `ghu_` tokens valid 8 hours with rotating `ghr_` refresh
 * tokens (a used refresh token and its access token stop working), and grant deletion. Scopes asked for are
 * granted and reported as an OAuth App's are (`scope: "read:user,public_repo"`); a real GitHub App answers
 * `scope: ""` and grants its configured permissions instead.
 */
export function createGitHubOAuth(store: Store, clock: () => number, clients: readonly OAuthClient[] = [GITHUB_EMULATOR_OAUTH_CLIENT]): OAuthAuthority {
  return new OAuthAuthority({
    clients,
    clock,
    providerName: 'GitHub',
    authorizePath: GITHUB_OAUTH_PATHS.authorize,
    findUser: (login) => {
      const user = store.user(login);
      return user ? { id: String(user.databaseId), login: user.login } : undefined;
    },
    defaultLogin: store.viewer.login,
    accessLifetimeSeconds: USER_TOKEN_LIFETIME_SECONDS,
    refreshLifetimeSeconds: REFRESH_TOKEN_LIFETIME_SECONDS,
    mintAccess: (_grant, nowMs) => ({ token: githubToken('ghu_'), expiresAtMs: nowMs + USER_TOKEN_LIFETIME_SECONDS * 1000 }),
    refreshPrefix: 'ghr_',
    requirePkce: false,
    scopeSeparator: ',',
    retireAccessOnRefresh: true,
  });
}

/** Whose a `ghu_` token is, while it is live (issued here, not expired, grant not revoked); else undefined. */
export function userTokenGrant(oauth: OAuthAuthority, token: string, nowMs: number): UserTokenGrant | undefined {
  const issued = oauth.accessGrant(token);
  if (!issued || issued.grant.revoked || issued.expiresAtMs <= nowMs) return undefined;
  return { login: issued.grant.user.login, scopes: issued.grant.scopes };
}

const MAX_BODY_BYTES = 64 * 1024;

/** GitHub's token endpoint errors (docs: "Troubleshooting OAuth app access token request errors"): HTTP 200. */
const GITHUB_ERRORS: Record<NonNullable<TokenAnswer['reason']>, { error: string; description: string }> = {
  client: { error: 'incorrect_client_credentials', description: 'The client_id and/or client_secret passed are incorrect.' },
  code: { error: 'bad_verification_code', description: 'The code passed is incorrect or expired.' },
  verifier: { error: 'bad_verification_code', description: 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.' },
  redirect_uri: { error: 'redirect_uri_mismatch', description: 'The redirect_uri MUST match the registered callback URL for this application.' },
  refresh_token: { error: 'bad_refresh_token', description: 'The refresh token passed is incorrect or expired.' },
  grant_type: { error: 'unsupported_grant_type', description: 'The grant type is not supported.' },
  request: { error: 'invalid_request', description: 'The request is missing a required parameter.' },
};

/** Answers the OAuth endpoints; false when the request is not for one of them. */
export async function handleGitHubOAuth(req: IncomingMessage, res: ServerResponse, oauth: OAuthAuthority, counter: RecordingRequestCounter): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const grant = GRANT_PATH.exec(path);
  if (path !== GITHUB_OAUTH_PATHS.authorize && path !== GITHUB_OAUTH_PATHS.token && !grant) return false;
  counter.record(`${method} ${grant ? '/applications/{client_id}/grant' : path}`);
  if (path === GITHUB_OAUTH_PATHS.authorize && method === 'GET') {
    // GitHub's web flow has no response_type: it is always the code flow.
    if (!url.searchParams.has('response_type')) url.searchParams.set('response_type', 'code');
    return sendPage(res, oauth.authorize(url.searchParams));
  }
  if (grant) {
    if (method !== 'DELETE') return sendJsonAnswer(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    return deleteGrant(req, res, oauth, decodeURIComponent(grant[1]!));
  }
  if (method !== 'POST') {
    req.resume();
    res.writeHead(405, { allow: path === GITHUB_OAUTH_PATHS.authorize ? 'GET, POST' : 'POST' }).end();
    return true;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (path === GITHUB_OAUTH_PATHS.authorize) return sendPage(res, oauth.decide(new URLSearchParams(body)));
  // GitHub takes the parameters in the query string or the body, form-encoded or JSON.
  const params = new URLSearchParams(url.searchParams);
  for (const [name, value] of oauthParams(body, req.headers['content-type'])) params.set(name, value);
  // GitHub's code exchange has no grant_type: a code alone is the authorization_code grant.
  if (!params.has('grant_type') && params.has('code')) params.set('grant_type', 'authorization_code');
  const answer = oauth.token(params, req.headers.authorization);
  const json = answer.reason === undefined ? answer.json : githubError(answer.reason);
  return sendTokenAnswer(res, json, req.headers.accept);
}

function githubError(reason: NonNullable<TokenAnswer['reason']>): Record<string, unknown> {
  const { error, description } = GITHUB_ERRORS[reason];
  return { error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' };
}

/**
 * `DELETE /applications/{client_id}/grant` (REST "Delete an app authorization"): Basic auth with the app's
 * client id and secret, `{"access_token": …}`; every token of that authorization stops working. 204.
 */
async function deleteGrant(req: IncomingMessage, res: ServerResponse, oauth: OAuthAuthority, clientId: string): Promise<true> {
  const body = await readBody(req, MAX_BODY_BYTES);
  const client = /^basic\s/i.test(req.headers.authorization ?? '') ? oauth.authenticateClient(new URLSearchParams(), req.headers.authorization) : undefined;
  if (!client || client.clientId !== clientId) return sendJsonAnswer(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/apps/oauth-applications#delete-an-app-authorization' });
  const token = oauthParams(body, 'application/json').get('access_token');
  if (!token) return sendJsonAnswer(res, 422, { message: 'Invalid request.\n\n"access_token" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest/apps/oauth-applications#delete-an-app-authorization', status: '422' });
  const issued = oauth.accessGrant(token);
  if (!issued || issued.grant.clientId !== clientId) return sendJsonAnswer(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/apps/oauth-applications#delete-an-app-authorization' });
  oauth.revoke(token);
  res.writeHead(204).end();
  return true;
}


/** GitHub answers the token endpoint form-encoded unless asked for JSON (`Accept: application/json`); always 200. */
function sendTokenAnswer(res: ServerResponse, json: Record<string, unknown>, accept: string | undefined): true {
  if (/application\/json/i.test(accept ?? '')) return sendJsonAnswer(res, 200, json);
  const text = new URLSearchParams(Object.entries(json).map(([k, v]): [string, string] => [k, String(v)])).toString();
  res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  return true;
}

function sendPage(res: ServerResponse, answer: ReturnType<OAuthAuthority['authorize']>): true {
  if ('location' in answer) res.writeHead(302, { location: answer.location, 'cache-control': 'no-store' }).end();
  else res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(answer.html);
  return true;
}

function sendJsonAnswer(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  return true;
}
