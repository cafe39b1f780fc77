import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Generated, type Kysely } from 'kysely';
import type { Migrations } from '../../kit/database/migrations.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../kit/database/open-database.ts';
import type { Database } from '../../kit/database/database.ts';
import { openTestDatabase, postgresAvailable, POSTGRES_URL } from '../support/database.ts';

// A type, not an interface: withTables wants an index-signature-compatible shape.
type NoteTables = {
  notes: { id: string; body: string; version: Generated<number> };
};

const migrations: Migrations = {
  'notes-0001-create': {
    up: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

const hasPostgres = await postgresAvailable();

describe.each(['pglite', 'postgres'] as const)('the database on %s', (engine) => {
  it.skipIf(engine === 'postgres' && !hasPostgres)('migrates, then reads and writes typed tables', async () => {
    const database = await openTestDatabase(migrations, engine);
    opened.push(database);
    const db = database.db.withTables<NoteTables>();
    await db.insertInto('notes').values({ id: 'a', body: 'first' }).execute();
    const updated = await db.updateTable('notes').set({ version: 1 }).where('id', '=', 'a').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([{ id: 'a', body: 'first', version: 1 }]);
    expect(database.engine).toBe(engine);
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('keeps a transaction to itself and rolls it back on failure', async () => {
    const database = await openTestDatabase(migrations, engine);
    opened.push(database);
    const db = database.db.withTables<NoteTables>();
    await db.insertInto('notes').values({ id: 'n', body: 'x', version: 0 }).execute();
    // Ten read-modify-write transactions at once: no lost update on either engine.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.transaction().execute(async (tx) => {
          const row = await tx.selectFrom('notes').select('version').where('id', '=', 'n').forUpdate().executeTakeFirstOrThrow();
          await tx.updateTable('notes').set({ version: row.version + 1 }).where('id', '=', 'n').execute();
        }),
      ),
    );
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.updateTable('notes').set({ version: 100 }).where('id', '=', 'n').execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.selectFrom('notes').select('version').executeTakeFirst()).toEqual({ version: 10 });
  });
});

describe('the embedded database', () => {
  it('keeps its data in its folder across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-'));
    try {
      const first = await openDatabase({ dataDir, migrations });
      await first.db.withTables<NoteTables>().insertInto('notes').values({ id: 'kept', body: 'across restarts' }).execute();
      await first.close();
      const second = await openDatabase({ dataDir, migrations });
      opened.push(second);
      expect(await second.db.withTables<NoteTables>().selectFrom('notes').select('body').execute()).toEqual([{ body: 'across restarts' }]);
    } finally {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the embedded database folder', () => {
  it('is refused while another process has it open, and taken over from one that has gone', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-'));
    try {
      const first = await openDatabase({ dataDir, migrations });
      opened.push(first);
      // This process holds it: a second open (as a second `npm start` would) is refused, naming the holder.
      await expect(openDatabase({ dataDir, migrations })).rejects.toThrow(`in use by process ${process.pid}`);
      await first.close();
      opened.splice(0);
      // A lock left by a process that has exited (killed, say) does not keep the folder closed.
      const gone = spawn(process.execPath, ['-e', '']);
      await once(gone, 'exit');
      await writeFile(`${dataDir}.lock`, String(gone.pid));
      const second = await openDatabase({ dataDir, migrations });
      opened.push(second);
      expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      await second.close();
      opened.splice(0);
      await expect(stat(`${dataDir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}.lock`, { force: true });
    }
  });
});

describe.skipIf(!hasPostgres)('Postgres shared by replicas', () => {
  it('migrates once when two replicas start together', async () => {
    const database = await openTestDatabase({}, 'postgres');
    opened.push(database);
    // Both replicas open the same schema at the same moment; the migrator's lock makes one of them wait.
    const [a, b] = await Promise.all([
      openDatabase({ url: POSTGRES_URL, schema: database.schema, migrations }),
      openDatabase({ url: POSTGRES_URL, schema: database.schema, migrations }),
    ]);
    opened.push(a, b);
    const runs = await sql<{ name: string }>`select name from kysely_migration`.execute(a.db);
    expect(runs.rows.map((r) => r.name)).toEqual(['notes-0001-create']);
  });
});
