import { SignJWT } from 'jose';
import { createAuthenticate } from '../../gateway/auth/authenticate.ts';
import { createTokenVerifier } from '../../gateway/auth/token-verifier.ts';

/** The HMAC secret test stacks are configured with (JWT_SECRET), so tests can sign their own tokens. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export const testAuthenticate = () =>
  createAuthenticate(createTokenVerifier({ kind: 'hmac', secret: new TextEncoder().encode(TEST_JWT_SECRET), clockToleranceSeconds: 5 }));

/** A token as `npm run token` would make it, with any claim a test wants to vary. */
export function signTestToken(
  claims: Record<string, unknown> = {},
  { secret = TEST_JWT_SECRET, expiresIn = '1h', alg = 'HS256' }: { secret?: string; expiresIn?: string | number; alg?: string } = {},
): Promise<string> {
  return new SignJWT({ scope: 'payments:read', ...claims })
    .setProtectedHeader({ alg })
    .setSubject(typeof claims['sub'] === 'string' ? claims['sub'] : 'user-1')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
