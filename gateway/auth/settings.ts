import type { GatewayConfig } from '../config.ts';
import { loadOrCreateDevSecret } from './dev-secret.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { createTokenVerifier, type TokenVerifierOptions } from './token-verifier.ts';

/** Which tokens the gateway accepts, from its configuration (see README: Authentication). */
export function tokenVerifierOptions(config: GatewayConfig, devSecret: () => Uint8Array = loadOrCreateDevSecret): TokenVerifierOptions {
  const clockToleranceSeconds = config.JWT_CLOCK_TOLERANCE_SECONDS;
  if (config.JWT_JWKS_URL) {
    return { kind: 'jwks', jwksUrl: new URL(config.JWT_JWKS_URL), issuer: config.JWT_ISSUER!, audience: config.JWT_AUDIENCE!, clockToleranceSeconds };
  }
  const secret = config.JWT_SECRET ? new TextEncoder().encode(config.JWT_SECRET) : devSecret();
  return { kind: 'hmac', secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, clockToleranceSeconds };
}

/** The gateway's authentication as configured: JWKS or a shared secret (the development one if unset). */
export function authenticateFromConfig(config: GatewayConfig): Authenticate {
  return createAuthenticate(createTokenVerifier(tokenVerifierOptions(config)));
}
