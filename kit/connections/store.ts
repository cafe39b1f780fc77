import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/database.ts';
import { s256 } from './pkce.ts';
import type { Keyring } from './keyring.ts';
import type { ProviderAccount, OAuthTokens } from './oauth-provider.ts';
import type { ConnectionStatus, ConnectionTables } from './tables.ts';

/** A connection as people and GraphQL see it: never its tokens. */
export interface ConnectionSummary {
  id: string;
  provider: string;
  providerUserId: string;
  login: string;
  scopes: string[];
  status: ConnectionStatus;
  connectedAt: Date;
  expiresAt: Date | null;
  refreshedAt: Date | null;
}

export interface StartedAttempt {
  state: string;
  codeChallenge: string;
  expiresAt: Date;
}

export type TakenAttempt =
  | { ok: true; subject: string; codeVerifier: string; returnTo: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'other-provider'; returnTo?: string | undefined };

/** A held provider account awaiting confirmation: a ticket for the browser, valid until `expiresAt`. */
export interface HeldConnection {
  ticket: string;
  expiresAt: Date;
}

type Tokens = { accessToken: string; refreshToken?: string | undefined };

/**
 * What confirming a ticket did. When the ticket is not confirmed (expired, or presented by someone other
 * than the user who started), the grant's tokens come back so they can be revoked at the provider.
 */
export type ConfirmedConnection =
  | { ok: true; connection: ConnectionSummary }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'expired' | 'other-user'; provider: string; providerUserId: string; tokens: Tokens };

/** This provider account is already connected to another of our users. */
export class AccountTakenError extends Error {}

/** Ciphertexts are bound to their owner and column: a ciphertext copied into another row does not open. */
export const sealContext = (subject: string, provider: string, column: 'access' | 'refresh' | 'verifier') => `${provider}\n${subject}\n${column}`;

/** States and tickets are stored as their hash: a database read never yields a usable one. */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export type ConnectionsDb = Kysely<ConnectionTables>;

/** The connections tables: flow attempts (state + PKCE verifier) and connections (sealed tokens). */
export function createConnectionStore(database: Database, keyring: Keyring, now: () => number = Date.now) {
  const db: ConnectionsDb = database.db.withTables<ConnectionTables>();
  /** The token columns of `subject`'s connection to `provider`, sealed for that row, with absolute expiries. */
  const sealTokens = (subject: string, provider: string, tokens: OAuthTokens, at: Date) => {
    const access = keyring.seal(tokens.accessToken, sealContext(subject, provider, 'access'));
    return {
      key_id: access.keyId,
      access_token: access.value,
      refresh_token: tokens.refreshToken === undefined ? null : keyring.seal(tokens.refreshToken, sealContext(subject, provider, 'refresh')).value,
      access_expires_at: tokens.expiresIn === undefined ? null : new Date(at.getTime() + tokens.expiresIn * 1000),
      refresh_expires_at: tokens.refreshExpiresIn === undefined ? null : new Date(at.getTime() + tokens.refreshExpiresIn * 1000),
    };
  };
  const writeConnection = async (subject: string, provider: string, values: Omit<ConnectionRow, 'id' | 'subject' | 'provider' | 'created_at'>): Promise<ConnectionSummary> => {
    const at = values.updated_at;
    try {
      const row = await db
        .insertInto('connections')
        .values({ id: `conn_${randomBytes(12).toString('hex')}`, subject, provider, created_at: at, ...values })
        .onConflict((oc) => oc.columns(['subject', 'provider']).doUpdateSet({ ...values, created_at: at }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return summary(row);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AccountTakenError(`${provider} account already connected to another user`);
      throw error;
    }
  };
  return {
    db,
    /** A new flow for `subject`: a single-use state and the PKCE pair, whose verifier stays here, sealed. */
    async startAttempt({ subject, provider, returnTo, ttlMs }: { subject: string; provider: string; returnTo: string; ttlMs: number }): Promise<StartedAttempt> {
      const state = randomBytes(32).toString('base64url');
      const codeVerifier = randomBytes(48).toString('base64url');
      const sealed = keyring.seal(codeVerifier, sealContext(subject, provider, 'verifier'));
      const expiresAt = new Date(now() + ttlMs);
      // Expired attempts are cleared as new ones start; nothing else needs a sweeper.
      await db.deleteFrom('connection_attempts').where('expires_at', '<', new Date(now())).execute();
      await db
        .insertInto('connection_attempts')
        .values({ state_hash: hashSecret(state), subject, provider, key_id: sealed.keyId, code_verifier: sealed.value, return_to: returnTo, expires_at: expiresAt, created_at: new Date(now()) })
        .execute();
      return { state, codeChallenge: s256(codeVerifier), expiresAt };
    },

    /** Consumes a state: deleted as it is read, so a second callback with it finds nothing. */
    async takeAttempt(provider: string, state: string): Promise<TakenAttempt> {
      const row = await db.deleteFrom('connection_attempts').where('state_hash', '=', hashSecret(state)).returningAll().executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.provider !== provider) return { ok: false, reason: 'other-provider', returnTo: row.return_to };
      if (row.expires_at.getTime() <= now()) return { ok: false, reason: 'expired', returnTo: row.return_to };
      const codeVerifier = keyring.open({ keyId: row.key_id, value: row.code_verifier }, sealContext(row.subject, provider, 'verifier'));
      return { ok: true, subject: row.subject, codeVerifier, returnTo: row.return_to };
    },

    /** Stores (or replaces) the subject's connection to this provider account. */
    async saveConnection({ subject, provider, account, tokens, requiredScopes }: { subject: string; provider: string; account: ProviderAccount; tokens: OAuthTokens; requiredScopes: readonly string[] }): Promise<ConnectionSummary> {
      const at = new Date(now());
      return writeConnection(subject, provider, {
        provider_user_id: account.id,
        login: account.login,
        scopes: tokens.scopes.join(' '),
        status: statusFor(tokens.scopes, requiredScopes),
        ...sealTokens(subject, provider, tokens, at),
        updated_at: at,
        refreshed_at: null,
      });
    },

    /**
     * Holds the account the provider just returned for `subject`'s flow until that user confirms it
     * (`confirm`), so a flow started by one user and finished in another's browser connects nothing.
     */
    async holdForConfirmation({ subject, provider, account, tokens, ttlMs }: { subject: string; provider: string; account: ProviderAccount; tokens: OAuthTokens; ttlMs: number }): Promise<HeldConnection> {
      const ticket = randomBytes(32).toString('base64url');
      const at = new Date(now());
      const expiresAt = new Date(at.getTime() + ttlMs);
      // Unconfirmed holds are cleared as new ones arrive, like attempts.
      await db.deleteFrom('connection_confirmations').where('expires_at', '<', at).execute();
      await db
        .insertInto('connection_confirmations')
        .values({ ticket_hash: hashSecret(ticket), subject, provider, provider_user_id: account.id, login: account.login, scopes: tokens.scopes.join(' '), ...sealTokens(subject, provider, tokens, at), expires_at: expiresAt, created_at: at })
        .execute();
      return { ticket, expiresAt };
    },

    /**
     * Consumes a ticket (deleted as it is read: single use). Only the user who started the flow confirms it;
     * the held tokens were sealed for that user, so they move into `connections` without being opened.
     */
    async confirm({ ticket, subject, requiredScopes }: { ticket: string; subject: string; requiredScopes: (provider: string) => readonly string[] }): Promise<ConfirmedConnection> {
      const row = await db.deleteFrom('connection_confirmations').where('ticket_hash', '=', hashSecret(ticket)).returningAll().executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      const unconfirmed = { provider: row.provider, providerUserId: row.provider_user_id };
      if (row.subject !== subject) return { ok: false, reason: 'other-user', ...unconfirmed, tokens: openTokens(keyring, row) };
      if (row.expires_at.getTime() <= now()) return { ok: false, reason: 'expired', ...unconfirmed, tokens: openTokens(keyring, row) };
      const scopes = row.scopes.split(' ').filter(Boolean);
      const { provider_user_id, login, key_id, access_token, refresh_token, access_expires_at, refresh_expires_at } = row;
      const connection = await writeConnection(subject, row.provider, {
        provider_user_id,
        login,
        scopes: row.scopes,
        status: statusFor(scopes, requiredScopes(row.provider)),
        key_id,
        access_token,
        refresh_token,
        access_expires_at,
        refresh_expires_at,
        updated_at: new Date(now()),
        refreshed_at: null,
      });
      return { ok: true, connection };
    },

    /** The user this provider account is connected to, if any. */
    async ownerOf(provider: string, providerUserId: string): Promise<string | undefined> {
      const row = await db.selectFrom('connections').select('subject').where('provider', '=', provider).where('provider_user_id', '=', providerUserId).executeTakeFirst();
      return row?.subject;
    },

    async list(subject: string): Promise<ConnectionSummary[]> {
      const rows = await db.selectFrom('connections').selectAll().where('subject', '=', subject).orderBy('provider').execute();
      return rows.map(summary);
    },

    /** Deletes the connection and hands back its tokens, for revoking at the provider. */
    async remove(subject: string, provider: string): Promise<{ accessToken: string; refreshToken?: string | undefined } | undefined> {
      const row = await db.deleteFrom('connections').where('subject', '=', subject).where('provider', '=', provider).returningAll().executeTakeFirst();
      if (!row) return undefined;
      return openTokens(keyring, row);
    },

    /** Identities of the subject's usable connections, by provider (for ownership rules). */
    async identities(subject: string): Promise<Record<string, string>> {
      const rows = await db.selectFrom('connections').select(['provider', 'login']).where('subject', '=', subject).where('status', '=', 'active').execute();
      return Object.fromEntries(rows.map((r) => [r.provider, r.login]));
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

type ConnectionRow = ConnectionTables['connections'];

const statusFor = (granted: readonly string[], required: readonly string[]): ConnectionStatus => (required.every((s) => granted.includes(s)) ? 'active' : 'needs_consent');

export function openTokens(keyring: Keyring, row: Pick<ConnectionRow, 'subject' | 'provider' | 'key_id' | 'access_token' | 'refresh_token'>): Tokens {
  return {
    accessToken: keyring.open({ keyId: row.key_id, value: row.access_token }, sealContext(row.subject, row.provider, 'access')),
    refreshToken: row.refresh_token === null ? undefined : keyring.open({ keyId: row.key_id, value: row.refresh_token }, sealContext(row.subject, row.provider, 'refresh')),
  };
}

export function summary(row: ConnectionRow): ConnectionSummary {
  return {
    id: row.id,
    provider: row.provider,
    providerUserId: row.provider_user_id,
    login: row.login,
    scopes: row.scopes.split(' ').filter(Boolean),
    status: row.status,
    connectedAt: row.created_at,
    expiresAt: row.access_expires_at,
    refreshedAt: row.refreshed_at,
  };
}

/**
 * Rewrites every connection still sealed under an older key with the current one: the last step of a key
 * rotation, after which the old key can leave CONNECTIONS_ENCRYPTION_KEYS. Returns how many were rewritten.
 */
export async function reencryptConnections(database: Database, keyring: Keyring): Promise<number> {
  const db = database.db.withTables<ConnectionTables>();
  const stale = await db.selectFrom('connections').select('id').where('key_id', '!=', keyring.currentId).execute();
  let rewritten = 0;
  for (const { id } of stale) {
    await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('connections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row || row.key_id === keyring.currentId) return;
      const tokens = openTokens(keyring, row);
      const access = keyring.seal(tokens.accessToken, sealContext(row.subject, row.provider, 'access'));
      const refresh = tokens.refreshToken === undefined ? null : keyring.seal(tokens.refreshToken, sealContext(row.subject, row.provider, 'refresh')).value;
      await tx.updateTable('connections').set({ key_id: access.keyId, access_token: access.value, refresh_token: refresh }).where('id', '=', id).execute();
      rewritten++;
    });
  }
  return rewritten;
}
