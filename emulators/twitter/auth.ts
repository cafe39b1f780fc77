import { readUserToken } from './user-token.ts';

/** Who a request acts as: the app (bearer token, reads only) or one user (may post and delete). */
export type Caller = { kind: 'app' } | { kind: 'user'; userId: string };

/**
 * Reads the `Authorization` header. Accepted, kept simple on purpose:
 * - `Bearer <app bearer token>`: app-only;
 * - `Bearer <user token>` (user-token.ts, minted by `mintUserToken` or `POST /_emulator/oauth2/token`):
 *   OAuth 2.0 user context for that (existing) user, until the token expires by the emulator's clock;
 * - `OAuth …` (OAuth 1.0a) whose `oauth_token` is `<user id>-<anything>`, the shape of X's own access
 *   tokens: user context for that user. Signatures are not verified (the emulator does not know users'
 *   token secrets); consumer key, token, signature method and signature must be present.
 * Anything else (an expired user token, or one whose OAuth grant was revoked) is undefined: X's 401.
 */
export function authenticate(
  authorization: string | undefined,
  appBearerToken: string,
  userExists: (id: string) => boolean,
  nowMs: number,
  revoked: (token: string) => boolean = () => false,
): Caller | undefined {
  if (authorization === undefined) return undefined;
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const credentials = rest.join(' ');
  switch (scheme.toLowerCase()) {
    case 'bearer': {
      if (credentials === appBearerToken) return { kind: 'app' };
      const claims = readUserToken(credentials);
      if (!claims || claims.expiresAtMs <= nowMs || revoked(credentials)) return undefined;
      return userExists(claims.userId) ? { kind: 'user', userId: claims.userId } : undefined;
    }
    case 'oauth': {
      const params = oauthParameters(credentials);
      const required = ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature'];
      if (required.some((name) => !params.get(name))) return undefined;
      const userId = /^(\d{1,19})-/.exec(params.get('oauth_token') ?? '')?.[1];
      return userId !== undefined && userExists(userId) ? { kind: 'user', userId } : undefined;
    }
    default:
      return undefined;
  }
}

/** `oauth_consumer_key="…", oauth_token="…"` into a map of decoded values. */
function oauthParameters(credentials: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of credentials.matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    const [, name = '', value = ''] = match;
    try {
      params.set(name, decodeURIComponent(value));
    } catch {
      params.set(name, value);
    }
  }
  return params;
}
