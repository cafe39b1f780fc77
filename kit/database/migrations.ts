import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

/**
 * Each feature owns its migrations (`<feature>-<nnnn>-<what>` names, so that features never collide), and the
 * application runs them all at start-up. Kysely's migrator holds a Postgres advisory lock meanwhile, so two
 * replicas starting together migrate once.
 */
export type Migrations = Readonly<Record<string, Migration>>;

export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations, schema?: string): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  // Features are independent: one added later may sort before migrations already run. The schema is named
  // when there is one: otherwise Kysely finds another schema's bookkeeping tables and skips creating its own.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
