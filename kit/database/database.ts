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
  close(): Promise<void>;
}
