import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './database.ts';
import { migrateToLatest, type Migrations } from './migrations.ts';

export interface DatabaseOptions {
  /** A `postgres://` URL: Postgres, shared by every replica. Unset: the embedded PGlite. */
  url?: string | undefined;
  /** PGlite's data folder (created if missing); unset or `memory://`: in memory, gone at exit. */
  dataDir?: string | undefined;
  /**
   * A Postgres schema to use (and create) instead of `public`: isolates parallel tests on one server.
   * Ignored by PGlite, which is private to this process already.
   */
  schema?: string | undefined;
  /** Every feature's migrations, run before the database is handed out. */
  migrations: Migrations;
  /** Most connections this process opens to Postgres. */
  poolSize?: number | undefined;
}

/** Opens the database, migrates it to the latest version, and hands it out; closes it again if that fails. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options) : await openPGlite(options.dataDir);
  try {
    await migrateToLatest(database.db, options.migrations, options.url ? options.schema : undefined);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function openPostgres(url: string, { schema, poolSize = 10 }: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server emits 'error'; the pool replaces it, so it must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', shared: true, close: () => db.destroy() };
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  // Loaded only when used: it is a 10 MB WebAssembly build of Postgres.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-dialect.ts')]);
  // `memory://` is PGlite's own name for no folder at all.
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const unlock = inMemory ? async () => {} : await lockDataDir(dataDir);
  let pglite: Awaited<ReturnType<typeof PGlite.create>>;
  try {
    pglite = await PGlite.create(inMemory ? {} : { dataDir });
  } catch (error) {
    await unlock();
    throw error;
  }
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    shared: false,
    // PGlite delivers a notification while it answers the statement that sent it (one connection, one process).
    listenToOwnWrites: (channel, onNotify) => pglite.listen(channel, onNotify),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      await unlock();
    },
  };
}

/**
 * PGlite is one process's database: a second process writing the same folder would corrupt it. A lock file
 * beside the folder names the process that has it open; a lock whose process is gone is taken over.
 * Resolves to the function that releases it.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new Error(
          `the embedded database in ${dataDir} is in use by process ${holder} (see ${path}): stop that process, or give this one its own DATABASE_DIR, or set DATABASE_URL to share a Postgres`,
        );
      }
      await rm(path, { force: true }); // left by a process that has gone
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
