import { describe, expect, it } from 'vitest';
import { createAuthenticate } from '../../gateway/auth/authenticate.ts';
import { createTokenVerifier } from '../../gateway/auth/token-verifier.ts';
import { signTestToken, TEST_JWT_SECRET } from '../support/tokens.ts';

describe('verified tokens are remembered until they expire', () => {
  it('verifies a token once, and again (refusing it) once its exp has passed', async () => {
    let verifications = 0;
    const verifier = createTokenVerifier({ kind: 'hmac', secret: new TextEncoder().encode(TEST_JWT_SECRET), clockToleranceSeconds: 0 });
    let clock = Date.now();
    const authenticate = createAuthenticate(async (token) => {
      verifications++;
      return verifier(token);
    }, () => clock);
    const token = await signTestToken({ sub: 'alice' }, { expiresIn: '2s' });
    const first = await authenticate(`Bearer ${token}`);
    const second = await authenticate(`Bearer ${token}`);
    expect(second).toBe(first);
    expect(verifications).toBe(1);

    clock += 3000; // past exp: the cache no longer answers, and the verifier (real clock) decides
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(authenticate(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(verifications).toBe(2);
  });
});
