import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { expiryOf } from './token-expiry.ts';
import { ANONYMOUS_CALLER, type Caller, type Principal } from './principal.ts';
import { bearerToken, InvalidTokenError } from './token-verifier.ts';

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/** Verified tokens remembered, so a client sending the same token on every request is verified once. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * No token: anonymous. A token: verified, or the request fails with UNAUTHENTICATED (HTTP 401). An invalid
 * token is never silently treated as anonymous. A verified token's caller is remembered until the token's
 * own `exp` (a bounded map, oldest first out), so repeated requests skip the signature check; a token
 * signed by a key later removed from the JWKS stays accepted until it expires, as with any cache of keys.
 */
export function createAuthenticate(verify: (token: string) => Promise<Principal>, now: () => number = Date.now): Authenticate {
  const verified = new Map<string, { caller: Caller; expiresAt: number }>();
  return async (authorization) => {
    try {
      const token = bearerToken(authorization);
      if (token === undefined) return ANONYMOUS_CALLER;
      const known = verified.get(token);
      if (known && known.expiresAt > now()) return known.caller;
      const caller: Caller = { kind: 'user', principal: await verify(token) };
      const expiresAt = expiryOf(token);
      if (expiresAt !== undefined) {
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        verified.set(token, { caller, expiresAt });
      }
      return caller;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) } } });
    }
  };
}

