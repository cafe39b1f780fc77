import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The keys connection secrets are encrypted under. `CONNECTIONS_ENCRYPTION_KEYS` is `id:base64key,…`
 * (each key 32 bytes, AES-256), newest first: new ciphertexts use the first, any listed key decrypts.
 * Rotation: put the new key first, keep the old ones until `reencryptConnections` (or normal refreshes)
 * has rewritten every row, then drop them.
 */
export interface Keyring {
  readonly currentId: string;
  readonly ids: readonly string[];
  seal(plaintext: string, context: string): Sealed;
  open(sealed: Sealed, context: string): string;
}

export interface Sealed {
  readonly keyId: string;
  /** base64url of iv (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). */
  readonly value: string;
}

export class KeyringError extends Error {}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    const id = part.slice(0, colon);
    // Never the key itself in a message.
    if (colon < 1 || !KEY_ID.test(id)) throw new KeyringError('each entry must be <id>:<base64 key>, the id of letters, digits, _ . -');
    const key = Buffer.from(part.slice(colon + 1), 'base64');
    if (key.length !== 32) throw new KeyringError(`key ${id} must be 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)`);
    if (keys.has(id)) throw new KeyringError(`key id ${id} appears twice`);
    keys.set(id, key);
  }
  const [currentId] = keys.keys();
  if (currentId === undefined) throw new KeyringError('at least one key is required');
  return createKeyring(currentId, keys);
}

function createKeyring(currentId: string, keys: ReadonlyMap<string, Buffer>): Keyring {
  return {
    currentId,
    ids: [...keys.keys()],
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(currentId)!, iv);
      // The context (row id and column) is authenticated: a ciphertext moved to another row does not open.
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: currentId, value: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url') };
    },
    open({ keyId, value }, context) {
      const key = keys.get(keyId);
      if (!key) throw new KeyringError(`no key ${keyId} in CONNECTIONS_ENCRYPTION_KEYS`);
      const raw = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * Development without CONNECTIONS_ENCRYPTION_KEYS: one random key, made once and kept (owner-only) in a
 * file next to the embedded database's data, so connections survive restarts. Never used in production.
 */
export function loadOrCreateDevKeyring(path: string): Keyring {
  try {
    return parseKeyring(readFileSync(path, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const spec = `dev:${randomBytes(32).toString('base64')}`;
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, spec, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (raced) {
      // Another subgraph of this process (or another process) made it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code === 'EEXIST') return parseKeyring(readFileSync(path, 'utf8').trim());
      throw raced;
    }
    return parseKeyring(spec);
  }
}
