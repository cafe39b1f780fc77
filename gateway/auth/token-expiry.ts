import { decodeJwt } from 'jose';
import { bearerToken } from './token-verifier.ts';

/** The `exp` of a token that has been verified (so its payload is known to be well-formed), in ms. */
export function expiryOf(token: string): number | undefined {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * Until when a bearer JWT already verified by `authenticate` is accepted, in ms: its `exp` plus the clock
 * tolerance that verification allows, so a connection lives exactly as long as a request would be accepted.
 * Undefined without a token or an `exp`.
 */
export function tokenExpiry(authorization: string | undefined, clockToleranceMs = 0): number | undefined {
  try {
    const token = bearerToken(authorization);
    const exp = token === undefined ? undefined : expiryOf(token);
    return exp === undefined ? undefined : exp + clockToleranceMs;
  } catch {
    return undefined;
  }
}
