import type { Logger } from '../logger.ts';
import type { Provider } from '../provider.ts';
import type { Database } from './database.ts';
import type { Migrations } from './migrations.ts';
import { openDatabase } from './open-database.ts';

export interface ProvidersDatabaseConfig {
  DATABASE_URL?: string | undefined;
  DATABASE_SCHEMA?: string | undefined;
  DATABASE_DIR: string;
}

/**
 * The database the given providers need; undefined when none keeps tables, so that a deployment without such
 * features never opens one. It is migrated for every provider of the application (`all`), not only these:
 * processes sharing one Postgres must agree on the list, or Kysely refuses a migration it does not know.
 */
export async function openDatabaseFor(providers: readonly Provider[], config: ProvidersDatabaseConfig, logger: Logger, all: readonly Provider[] = providers): Promise<Database | undefined> {
  if (!providers.some((p) => p.migrations)) return undefined;
  const migrations: Migrations = Object.assign({}, ...all.map((p) => p.migrations ?? {}));
  const database = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, dataDir: config.DATABASE_DIR, migrations });
  // Never the URL: it may hold a password.
  logger.info(
    database.engine === 'postgres' ? { database: 'postgres' } : { database: 'pglite', dataDir: config.DATABASE_DIR },
    database.engine === 'postgres' ? 'database: Postgres (DATABASE_URL)' : 'database: embedded PGlite (set DATABASE_URL for Postgres shared by replicas)',
  );
  return database;
}
