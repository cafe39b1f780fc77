import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../kit/database/database.ts';
import { openDatabase } from '../../kit/database/open-database.ts';
import type { Migrations } from '../../kit/database/migrations.ts';

export const POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether Postgres-backed tests can run. Locally a missing Postgres skips them; in CI (CI=true) it is an
 * error, so that a broken CI machine can never pass by skipping.
 */
export async function postgresAvailable(url = POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`Postgres is required in CI but ${url} is unreachable: ${(error as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase extends Database {
  /** The Postgres schema this test owns (dropped by close); undefined for PGlite. */
  readonly schema: string | undefined;
  /** Another handle on the same data, as a second replica would open it (Postgres only). */
  openReplica(): Promise<Database>;
}

/**
 * A migrated database of its own for one test: a fresh schema on the real Postgres (dropped on close), so
 * tests run in parallel on one server; or an in-memory PGlite.
 */
export async function openTestDatabase(migrations: Migrations, engine: 'postgres' | 'pglite' = 'postgres'): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({ migrations });
    return { ...database, schema: undefined, openReplica: () => Promise.reject(new Error('PGlite belongs to one process')) };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url: POSTGRES_URL, schema, migrations, poolSize: 4 });
  const replicas: Database[] = [];
  return {
    ...database,
    schema,
    openReplica: async () => {
      const replica = await openDatabase({ url: POSTGRES_URL, schema, migrations, poolSize: 4 });
      replicas.push(replica);
      return replica;
    },
    close: async () => {
      await Promise.all(replicas.map((r) => r.close()));
      await database.close();
      await dropSchema(schema);
    },
  };
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await admin.end();
  }
}
