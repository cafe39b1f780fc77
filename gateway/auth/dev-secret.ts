import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where development tokens' signing secret is kept: git-ignored, readable by its owner only. In the
 * project's folder, wherever the gateway or `npm run token` is started from, so that both use one secret.
 */
export const DEV_SECRET_FILE = fileURLToPath(new URL('../../.cache/dev-jwt-secret', import.meta.url));

/**
 * The HMAC secret used when JWT_SECRET is unset outside production: random, made once, never printed,
 * kept in a local file so that `npm run token` can sign tokens the running gateway accepts.
 */
export function loadOrCreateDevSecret(path = DEV_SECRET_FILE): Uint8Array {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  } catch {
    const secret = randomBytes(32);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, secret.toString('base64url'), { mode: 0o600 });
    chmodSync(path, 0o600);
    return secret;
  }
}
