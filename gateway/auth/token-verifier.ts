import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWSHeaderParameters, type JWTVerifyOptions } from 'jose';
import { principalFromClaims, type Principal } from './principal.ts';

export type TokenVerifierOptions =
  | { kind: 'hmac'; secret: Uint8Array; issuer?: string | undefined; audience?: string | undefined; clockToleranceSeconds: number }
  | { kind: 'jwks'; jwksUrl: URL; issuer: string; audience: string; clockToleranceSeconds: number };

/** Why a token was refused; the message is safe to show (it never echoes the token). */
/** The message of a token refused only because its `exp` has passed (the WebSocket close reason tells it apart). */
export const TOKEN_EXPIRED_MESSAGE = 'Token expired';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * Verifies bearer JWTs with jose. Each mode accepts only its own family of algorithms: HMAC tokens where a
 * shared secret is configured, asymmetric ones where keys come from a JWKS, so a token signed with a public
 * key used as an HMAC secret (algorithm confusion) can never pass. `alg: none` is refused by jose itself.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string) => Promise<Principal> {
  const shared: JWTVerifyOptions = {
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: ['sub', 'exp'],
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
  const verify =
    options.kind === 'hmac'
      ? (() => {
          const keyFor = hmacKeys(options.secret);
          return (token: string) => jwtVerify(token, keyFor, { ...shared, algorithms: HMAC_ALGORITHMS });
        })()
      : (() => {
          // Cached and refreshed by jose (cooldown between fetches, refetch on an unknown kid).
          const keys = createRemoteJWKSet(options.jwksUrl);
          return (token: string) => jwtVerify(token, keys, { ...shared, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] });
        })();
  return async (token) => {
    let payload: Awaited<ReturnType<typeof verify>>['payload'];
    try {
      payload = (await verify(token)).payload;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new InvalidTokenError(code === 'ERR_JWT_EXPIRED' ? TOKEN_EXPIRED_MESSAGE : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'Token claims not accepted' : 'Token not valid');
    }
    // jose requires `sub` to be present, not to name anyone: an empty subject would make every such token one
    // shared principal (`user:`), so it is refused like a missing one.
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '') throw new InvalidTokenError('Token claims not accepted');
    return principalFromClaims(payload);
  };
}

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

/**
 * The secret as a Web Crypto key per HMAC algorithm, imported once: given the raw bytes, jose imports them
 * again for every token it verifies. jose has refused any other algorithm before it asks for a key.
 */
function hmacKeys(secret: Uint8Array): (header: JWSHeaderParameters) => Promise<webcrypto.CryptoKey> {
  const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
  return ({ alg }) => {
    const name = alg ?? '';
    let key = keys.get(name);
    if (!key) {
      if (!HMAC_ALGORITHMS.includes(name)) return Promise.reject(new Error(`not an HMAC algorithm: ${name}`));
      key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: `SHA-${name.slice(2)}` }, false, ['verify']);
      keys.set(name, key);
    }
    return key;
  };
}

/** The token of an `Authorization: Bearer …` header; undefined when absent; an error when malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are the same.
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(header.trim());
  if (!match) throw new InvalidTokenError('Authorization must be "Bearer <JWT>"');
  return match[1];
}
