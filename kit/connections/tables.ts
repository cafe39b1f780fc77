import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../database/migrations.ts';

/** Stored, never returned through GraphQL: token columns are AES-256-GCM ciphertexts under `key_id`. */
export type ConnectionTables = {
  connections: {
    id: string;
    subject: string;
    provider: string;
    provider_user_id: string;
    login: string;
    /** Space-separated, as granted by the provider. */
    scopes: string;
    status: ConnectionStatus;
    key_id: string;
    access_token: string;
    refresh_token: string | null;
    access_expires_at: Date | null;
    refresh_expires_at: Date | null;
    created_at: Date;
    updated_at: Date;
    refreshed_at: Date | null;
  };
  connection_attempts: {
    /** sha256 of the `state` parameter: the database never holds a usable state. */
    state_hash: string;
    subject: string;
    provider: string;
    key_id: string;
    /** The PKCE verifier, sealed: it never leaves the server. */
    code_verifier: string;
    return_to: string;
    expires_at: Date;
    created_at: Date;
  };
  connection_confirmations: {
    /** sha256 of the ticket handed to the browser: the database never holds a usable ticket. */
    ticket_hash: string;
    /** Who started the flow: only they may confirm it. */
    subject: string;
    provider: string;
    provider_user_id: string;
    login: string;
    scopes: string;
    /** Sealed as the subject's connection would be, so confirming moves them into `connections` unopened. */
    key_id: string;
    access_token: string;
    refresh_token: string | null;
    access_expires_at: Date | null;
    refresh_expires_at: Date | null;
    expires_at: Date;
    created_at: Date;
  };
};

/** The notification channel of changes to connections' identities (payload: the subject). */
export const CONNECTIONS_CHANGED = 'connections_changed';

/** `needs_consent`: the app now asks for scopes the user has not granted; `expired`: nothing left to refresh with. */
export type ConnectionStatus = 'active' | 'expired' | 'revoked' | 'needs_consent';

export const connectionMigrations: Migrations = {
  'connections-0001-create': {
    up: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_user_id', 'text', (c) => c.notNull())
        .addColumn('login', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('access_token', 'text', (c) => c.notNull())
        .addColumn('refresh_token', 'text')
        .addColumn('access_expires_at', 'timestamptz')
        .addColumn('refresh_expires_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('refreshed_at', 'timestamptz')
        .addUniqueConstraint('connections_subject_provider', ['subject', 'provider'])
        // One provider account belongs to one of our users: its identity decides ownership.
        .addUniqueConstraint('connections_provider_account', ['provider', 'provider_user_id'])
        .execute();
      await db.schema
        .createTable('connection_attempts')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('return_to', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('connection_attempts_expiry').on('connection_attempts').column('expires_at').execute();
    },
  },
  // Whoever writes (the connections subgraph, a vault marking a token revoked, an operator's SQL), a change to
  // who is connected as whom notifies CONNECTIONS_CHANGED with the subject: caches of identities forget it.
  'connections-0002-notify-identity-changes': {
    up: async (db: Kysely<unknown>) => {
      await sql`create function connections_changed() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'INSERT' then perform pg_notify(${sql.lit(CONNECTIONS_CHANGED)}, old.subject); end if;
          if tg_op <> 'DELETE' then perform pg_notify(${sql.lit(CONNECTIONS_CHANGED)}, new.subject); end if;
          return null;
        end $$`.execute(db);
      await sql`create trigger connections_changed after insert or delete or update of subject, provider, login, status on connections
        for each row execute function connections_changed()`.execute(db);
    },
  },
  // A provider account comes back to the callback held here until the signed-in user who started confirms it.
  'connections-0003-confirmations': {
    up: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('connection_confirmations')
        .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_user_id', 'text', (c) => c.notNull())
        .addColumn('login', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('access_token', 'text', (c) => c.notNull())
        .addColumn('refresh_token', 'text')
        .addColumn('access_expires_at', 'timestamptz')
        .addColumn('refresh_expires_at', 'timestamptz')
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('connection_confirmations_expiry').on('connection_confirmations').column('expires_at').execute();
    },
  },
};
