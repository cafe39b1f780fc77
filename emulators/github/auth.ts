import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AuthRefusal {
  status: 401;
  body: { message: string; documentation_url: string; status: '401' };
}

/** The scopes of the emulator's own token, as a classic token with them shows in `x-oauth-scopes`. */
export const DEFAULT_TOKEN_SCOPES: readonly string[] = ['repo', 'read:org', 'read:user'];

/** A user access token the emulator's OAuth server issued (`ghu_…`): whose it is and what was granted. */
export interface UserTokenGrant {
  login: string;
  scopes: readonly string[];
}

/**
 * The tokens the emulator accepts, each with its OAuth scopes (a classic token's). Its own (`ghp_…`) belong
 * to the seed's viewer (the first seeded user); user access tokens its OAuth server issued (`ghu_…`) belong
 * to the user who approved, until they expire or their grant is revoked (`userTokens` says which). Each
 * spends its user's rate-limit window (handle-request.ts), as on GitHub.
 */
export class TokenRegistry {
  readonly userTokens: (token: string) => UserTokenGrant | undefined;
  readonly #scopes = new Map<string, readonly string[]>();

  constructor(token: string, scopes: readonly string[] = DEFAULT_TOKEN_SCOPES, userTokens: (token: string) => UserTokenGrant | undefined = () => undefined) {
    this.userTokens = userTokens;
    this.#scopes.set(token, [...scopes]);
  }

  /** A new token with exactly these scopes (`ghp_` and 36 random characters, like GitHub's). */
  create(scopes: readonly string[]): string {
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    this.#scopes.set(token, [...scopes]);
    return token;
  }

  scopesOf(token: string): readonly string[] | undefined {
    return this.#scopes.get(token);
  }
}

/** The presented token and its scopes; `login` when it is a user's OAuth token (else the seed's viewer). */
export interface Authenticated {
  token: string;
  scopes: readonly string[];
  login?: string | undefined;
}

/**
 * GitHub takes a token as `Authorization: bearer <token>` or `token <token>` (scheme case-insensitive).
 * Returns its 401, or the token and its scopes when the emulator knows it.
 */
export function checkToken(headers: IncomingHttpHeaders, tokens: TokenRegistry): { refusal: AuthRefusal } | Authenticated {
  const [scheme = '', credentials = ''] = (headers.authorization ?? '').trim().split(/\s+/, 2);
  const presented = /^(bearer|token)$/i.test(scheme) ? credentials : '';
  const scopes = presented === '' ? undefined : tokens.scopesOf(presented);
  if (scopes) return { token: presented, scopes };
  const user = presented === '' ? undefined : tokens.userTokens(presented);
  if (user) return { token: presented, scopes: user.scopes, login: user.login };
  if (headers.authorization === undefined) {
    return refusal(
      'This endpoint requires you to be authenticated.',
      'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    );
  }
  return refusal('Bad credentials', 'https://docs.github.com/graphql');
}

function refusal(message: string, documentationUrl: string): { refusal: AuthRefusal } {
  return { refusal: { status: 401, body: { message, documentation_url: documentationUrl, status: '401' } } };
}
