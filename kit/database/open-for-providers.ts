import type { Logger } from '../logger.ts';
import type { Provider } from '../provider.ts';
import type { Database } from './database.ts';
import type { Migrations } from './migrations.ts';
import { openDatabase } from './open-database.ts';

export interface ProvidersDatabaseConfig {
  DATABASE_URL?: string | undefined;
  DATABASE_DIR: string;
}

/**
 * The database the given providers need, migrated for all of them; undefined when none keeps tables, so that a
 * deployment without such features never opens one.
 */
export async function openDatabaseFor(providers: readonly Provider[], config: ProvidersDatabaseConfig, logger: Logger): Promise<Database | undefined> {
  const migrations: Migrations = Object.assign({}, ...providers.map((p) => p.migrations ?? {}));
  if (Object.keys(migrations).length === 0) return undefined;
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATABASE_DIR, migrations });
  // Never the URL: it may hold a password.
  logger.info(
    database.engine === 'postgres' ? { database: 'postgres' } : { database: 'pglite', dataDir: config.DATABASE_DIR },
    database.engine === 'postgres' ? 'database: Postgres (DATABASE_URL)' : 'database: embedded PGlite (set DATABASE_URL for Postgres shared by replicas)',
  );
  return database;
}
