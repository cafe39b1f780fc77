import type { Kysely } from 'kysely';

/**
 * The system of record for what must survive a restart (connections, outgoing deliveries): Postgres when
 * DATABASE_URL is set, otherwise the embedded PGlite. Both speak the same SQL and run the same migrations.
 * Features see their own tables through `db.withTables<TheirTables>()`.
 */
export interface Database {
  readonly db: Kysely<unknown>;
  readonly engine: 'postgres' | 'pglite';
  /** Whether several processes may share it (PGlite is one process's). */
  readonly shared: boolean;
  /**
   * Calls `onNotify` with each payload `pg_notify` sends on `channel`, before the notifying statement (or its
   * transaction's commit) returns to the writer: a cache may rely on it to never serve what a write changed.
   * Only the embedded PGlite has it, where every write is this process's own; Postgres' notifications reach
   * other connections later, and other replicas write too. Resolves once listening, to a function that stops.
   */
  readonly listenToOwnWrites?: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}
