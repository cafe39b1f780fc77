import { bearerToken } from './token-verifier.ts';

/**
 * Until when a bearer JWT already verified by `authenticate` is accepted, in ms: its `exp` plus the clock
 * tolerance that verification allows, so a connection lives exactly as long as a request would be accepted.
 * Undefined without a token or an `exp`.
 */
export function tokenExpiry(authorization: string | undefined, clockToleranceMs = 0): number | undefined {
  try {
    const payload = bearerToken(authorization)?.split('.')[1];
    if (!payload) return undefined;
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 + clockToleranceMs : undefined;
  } catch {
    return undefined;
  }
}
