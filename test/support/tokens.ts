import { SignJWT } from 'jose';
import { createAuthenticate } from '../../gateway/auth/authenticate.ts';
import { createTokenVerifier } from '../../gateway/auth/token-verifier.ts';
import type { Principal } from '../../kit/access/principal.ts';
import { createPrincipalTokens, PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';

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

/** The secret test gateways and subgraphs share (SUBGRAPH_SECRET). */
export const TEST_SUBGRAPH_SECRET = 'test-subgraph-secret-of-at-least-32-chars';
export const testPrincipalTokens = () => createPrincipalTokens(new TextEncoder().encode(TEST_SUBGRAPH_SECRET));

/** Request headers of a caller with these claims (see `npm run token`). */
export async function authorization(claims: Record<string, unknown>): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await signTestToken(claims)}` };
}

/** An operator who may do anything: for tests about something other than authorization. */
export const adminHeaders = () => authorization({ sub: 'test-admin', scope: 'admin' });

/** What the gateway would send a subgraph for this caller (an admin by default): for tests that call subgraphs directly. */
export function gatewaySignature(principal: Principal = { subject: 'test-admin', scopes: ['admin'] }): Record<string, string> {
  return { [PRINCIPAL_HEADER]: testPrincipalTokens().forCaller({ kind: 'user', principal }) };
}
