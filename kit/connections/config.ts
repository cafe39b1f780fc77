import { dirname, join } from 'node:path';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, env } from '../config.ts';
import type { Environment } from '../provider.ts';
import { KeyringError, loadOrCreateDevKeyring, parseKeyring, type Keyring } from './keyring.ts';

export const connectionsEnvSchema = z.object({
  NODE_ENV: baseConfigSchema.shape.NODE_ENV,
  CONNECTIONS_ENCRYPTION_KEYS: env.string(),
  DATABASE_DIR: baseConfigSchema.shape.DATABASE_DIR,
});

/** Where the development key lives when CONNECTIONS_ENCRYPTION_KEYS is unset: next to the embedded database. */
export const devKeyPath = (databaseDir: string) =>
  // An in-memory database has no folder; the key still needs one all subgraphs of the process agree on.
  databaseDir.startsWith('memory://') ? join('.data', 'connections-dev-key') : join(dirname(databaseDir), 'connections-dev-key');

/**
 * The keyring every subgraph that touches connections uses. Production requires CONNECTIONS_ENCRYPTION_KEYS;
 * elsewhere an unset variable means a generated key kept in `.data/connections-dev-key` (owner-only).
 */
export function keyringFromEnv(environment: Environment): Keyring {
  const parsed = connectionsEnvSchema.safeParse(environment);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const { CONNECTIONS_ENCRYPTION_KEYS: keys, NODE_ENV, DATABASE_DIR } = parsed.data;
  try {
    if (keys) return parseKeyring(keys);
  } catch (error) {
    if (error instanceof KeyringError) throw new ConfigError([`CONNECTIONS_ENCRYPTION_KEYS: ${error.message}`]);
    throw error;
  }
  if (NODE_ENV === 'production') throw new ConfigError(['CONNECTIONS_ENCRYPTION_KEYS: required in production (id:base64 of 32 random bytes, newest first)']);
  return loadOrCreateDevKeyring(devKeyPath(DATABASE_DIR));
}
