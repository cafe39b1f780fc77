import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AuthRefusal {
  status: 401;
  body: { message: string; documentation_url: string; status: '401' };
}

/** The scopes of the emulator's own token, as a classic token with them shows in `x-oauth-scopes`. */
export const DEFAULT_TOKEN_SCOPES: readonly string[] = ['repo', 'read:org', 'read:user'];

/**
 * The tokens the emulator accepts, each with its OAuth scopes (a classic token's). All belong to the
 * viewer (the first seeded user) and share its rate-limit window, as GitHub's are per user.
 */
export class TokenRegistry {
  readonly #scopes = new Map<string, readonly string[]>();

  constructor(token: string, scopes: readonly string[] = DEFAULT_TOKEN_SCOPES) {
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

/** The presented token and its scopes. */
export interface Authenticated {
  token: string;
  scopes: readonly string[];
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
