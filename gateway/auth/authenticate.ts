import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ANONYMOUS_CALLER, type Caller, type Principal } from './principal.ts';
import { bearerToken, InvalidTokenError } from './token-verifier.ts';

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/**
 * No token: anonymous. A token: verified, or the request fails with UNAUTHENTICATED (HTTP 401). An invalid
 * token is never silently treated as anonymous.
 */
export function createAuthenticate(verify: (token: string) => Promise<Principal>): Authenticate {
  return async (authorization) => {
    try {
      const token = bearerToken(authorization);
      return token === undefined ? ANONYMOUS_CALLER : { kind: 'user', principal: await verify(token) };
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) } } });
    }
  };
}
