import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthAuthority, type OAuthClient, oauthParams } from '../shared/oauth-authority.ts';
import { readBody } from '../shared/read-body.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import type { Store } from './store.ts';
import { mintUserToken, USER_TOKEN_LIFETIME_SECONDS } from './user-token.ts';

/**
 * The emulator's own OAuth 2.0 app, public on purpose (it only opens the emulator): what `npm start` gives
 * the gateway as TWITTER_OAUTH_CLIENT_ID / _SECRET. It accepts any loopback callback URL, as a development
 * app would have them registered.
 */
export const TWITTER_EMULATOR_OAUTH_CLIENT: OAuthClient = {
  clientId: 'twitter-emulator-oauth-client',
  clientSecret: 'twitter-emulator-oauth-secret-local-development-only',
  name: 'Federation gateway (development)',
  redirectUris: [],
  allowLoopback: true,
};

/** X's OAuth 2.0 endpoints (docs.x.com "OAuth 2.0 Authorization Code Flow with PKCE"). */
export const X_OAUTH_PATHS = { authorize: '/i/oauth2/authorize', token: '/2/oauth2/token', revoke: '/2/oauth2/revoke' } as const;

/**
 * X's authorization server: PKCE required (S256 here), access tokens valid two hours (`expires_in: 7200`),
 * refresh tokens only with `offline.access`, rotated on every refresh. Access tokens are the emulator's
 * signed user tokens (user-token.ts), so its API accepts them until they expire or their grant is revoked.
 */
export function createXOAuth(store: Store, clock: () => number, clients: readonly OAuthClient[] = [TWITTER_EMULATOR_OAUTH_CLIENT]): OAuthAuthority {
  return new OAuthAuthority({
    clients,
    clock,
    providerName: 'X',
    authorizePath: X_OAUTH_PATHS.authorize,
    findUser: (login) => {
      const user = store.userByUsername(login);
      return user ? { id: user.id, login: user.username } : undefined;
    },
    defaultLogin: 'ada_builds',
    accessLifetimeSeconds: USER_TOKEN_LIFETIME_SECONDS,
    mintAccess: (grant, nowMs) => {
      const { accessToken, expiresAtMs } = mintUserToken(grant.user.id, { nowMs });
      return { token: accessToken, expiresAtMs };
    },
    refreshPrefix: '',
    refreshScope: 'offline.access',
    requirePkce: true,
    scopeSeparator: ' ',
  });
}

const MAX_FORM_BYTES = 64 * 1024;

/** Answers the OAuth endpoints; false when the request is not for one of them. */
export async function handleXOAuth(req: IncomingMessage, res: ServerResponse, oauth: OAuthAuthority, counter: RecordingRequestCounter): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  if (path !== X_OAUTH_PATHS.authorize && path !== X_OAUTH_PATHS.token && path !== X_OAUTH_PATHS.revoke) return false;
  counter.record(`${method} ${path}`);
  if (path === X_OAUTH_PATHS.authorize && method === 'GET') return sendPage(res, oauth.authorize(url.searchParams));
  if (method !== 'POST') {
    res.writeHead(405, { allow: path === X_OAUTH_PATHS.authorize ? 'GET, POST' : 'POST' }).end();
    return true;
  }
  const form = oauthParams(await readBody(req, MAX_FORM_BYTES), req.headers['content-type']);
  if (path === X_OAUTH_PATHS.authorize) return sendPage(res, oauth.decide(form));
  if (path === X_OAUTH_PATHS.token) {
    const answer = oauth.token(form, req.headers.authorization);
    return sendJson(res, answer.status, answer.json);
  }
  if (!oauth.authenticateClient(form, req.headers.authorization)) return sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  oauth.revoke(form.get('token') ?? '');
  return sendJson(res, 200, { revoked: true });
}

function sendPage(res: ServerResponse, answer: ReturnType<OAuthAuthority['authorize']>): true {
  if ('location' in answer) res.writeHead(302, { location: answer.location, 'cache-control': 'no-store' }).end();
  else res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(answer.html);
  return true;
}

function sendJson(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  return true;
}
