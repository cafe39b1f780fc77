import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../kit/access/principal.ts';
import { withConnectedIdentities } from '../../kit/connections/identities.ts';
import { parseKeyring } from '../../kit/connections/keyring.ts';
import { createConnectionStore } from '../../kit/connections/store.ts';
import { connectionMigrations } from '../../kit/connections/tables.ts';
import { silentLogger } from '../../kit/logger.ts';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.ts';

const hasPostgres = await postgresAvailable();

/** The token's own claims: Ada, with no linked identity. */
const fromToken = async (): Promise<Caller> => ({ kind: 'user', principal: { subject: 'user-ada', scopes: ['social:read'] } });
const githubLoginOf = (caller: Caller) => (caller.kind === 'user' ? caller.principal.githubLogin : undefined);
const tokens = { accessToken: 'gho_ada', scopes: ['read:user'] };

describe('connected identities of the caller', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  async function open(engine: 'pglite' | 'postgres') {
    database = await openTestDatabase(connectionMigrations, engine);
    const store = createConnectionStore(database, parseKeyring(`k1:${randomBytes(32).toString('base64')}`));
    const authenticate = withConnectedIdentities(fromToken, database, silentLogger);
    const connect = () => store.saveConnection({ subject: 'user-ada', provider: 'github', account: { id: '1', login: 'ada-gh' }, tokens, requiredScopes: ['read:user'] });
    // Reads of the table fail while it is renamed: an authentication that still finds the identity did not read.
    const hideTable = () => sql`alter table connections rename to connections_hidden`.execute(database!.db);
    const showTable = () => sql`alter table connections_hidden rename to connections`.execute(database!.db);
    return { database, store, authenticate, connect, hideTable, showTable };
  }

  it('embedded database: kept in memory, and forgotten by any write that changes them, at once', async () => {
    const { database, store, authenticate, connect, hideTable, showTable } = await open('pglite');
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBeUndefined();
    await connect();
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');

    // Kept: the next operation needs no read.
    await hideTable();
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');
    await showTable();

    // A write by anyone (here raw SQL, as a vault marking a token revoked would) is seen by the next operation.
    await sql`update connections set status = 'revoked' where subject = 'user-ada'`.execute(database.db);
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBeUndefined();
    await sql`update connections set status = 'active' where subject = 'user-ada'`.execute(database.db);
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');

    // A read overlapping a change is not kept: the change wins.
    await store.remove('user-ada', 'github');
    const [during] = await Promise.all([authenticate('Bearer ada'), connect()]);
    expect([undefined, 'ada-gh']).toContain(githubLoginOf(during));
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');

    // Disconnecting forgets the identity too.
    await store.remove('user-ada', 'github');
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBeUndefined();
  });

  it.skipIf(!hasPostgres)('Postgres (other replicas write): every operation reads', async () => {
    const { authenticate, connect, hideTable, showTable } = await open('postgres');
    await connect();
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');
    await hideTable();
    // No copy in memory: the read fails and the token's claims stand.
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBeUndefined();
    await showTable();
    expect(githubLoginOf(await authenticate('Bearer ada'))).toBe('ada-gh');
  });
});
