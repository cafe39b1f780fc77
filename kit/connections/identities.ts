import type { Caller, Principal } from '../access/principal.ts';
import type { Database } from '../database/database.ts';
import type { Logger } from '../logger.ts';
import { Lru } from '../lru.ts';
import { CONNECTIONS_CHANGED, type ConnectionTables } from './tables.ts';

type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/** A subject's active connections: provider and login. */
type Identities = readonly { provider: string; login: string }[];

/** Subjects whose identities are kept at once; the one used least recently goes first beyond it. */
const CACHED_SUBJECTS = 10_000;

/**
 * The gateway's authentication, with each signed-in user's linked identities taken from their active
 * connections (a connected X or GitHub account is theirs, whatever the token says); claims still count
 * where there is no connection (service tokens, tests). Ownership rules and `viewer` then use them.
 * One indexed read per authenticated operation, except on the embedded database, where they are kept
 * in memory until a write changes them (see `identitiesReader`); if the database cannot answer, the
 * claims stand.
 */
export function withConnectedIdentities(authenticate: Authenticate, database: Database, logger: Logger): Authenticate {
  const identitiesOf = identitiesReader(database);
  return async (authorization) => {
    const caller = await authenticate(authorization);
    if (caller.kind !== 'user') return caller;
    let rows: Identities;
    try {
      rows = await identitiesOf(caller.principal.subject);
    } catch (error) {
      logger.warn({ failure: error instanceof Error ? error.name : 'unknown' }, 'could not read connected identities; using the token claims');
      return caller;
    }
    if (rows.length === 0) return caller;
    const principal: Principal = { ...caller.principal };
    for (const { provider, login } of rows) {
      if (provider === 'twitter') principal.twitterUsername = login;
      if (provider === 'github') principal.githubLogin = login;
    }
    return { kind: 'user', principal };
  };
}

/**
 * Reads a subject's identities. On the embedded database (one process writes it, and it notifies before a
 * write returns) they are kept in memory: every operation otherwise pays a query on the gateway's own thread
 * (about a millisecond of WebAssembly Postgres), and a connection's trigger makes each change forget its
 * subject at once, whoever writes. A read that overlapped a change is not kept. On Postgres, which other
 * replicas write and whose notifications arrive later, every call reads.
 */
function identitiesReader(database: Database): (subject: string) => Promise<Identities> {
  const db = database.db.withTables<ConnectionTables>();
  const read = (subject: string): Promise<Identities> => db.selectFrom('connections').select(['provider', 'login']).where('subject', '=', subject).where('status', '=', 'active').execute();
  if (!database.listenToOwnWrites) return read;
  const kept = new Lru<string, Identities>(CACHED_SUBJECTS);
  // Bumped by every change: a read that started before one may hold what it changed.
  let changes = 0;
  // Whether changes reach us; until the first call has waited for the answer, nothing is kept.
  const listening = database
    .listenToOwnWrites(CONNECTIONS_CHANGED, (subject) => {
      changes++;
      kept.delete(subject);
    })
    .then(
      () => true,
      () => false, // every call reads, as on Postgres
    );
  return async (subject) => {
    const hit = kept.get(subject);
    if (hit) return hit;
    const keep = await listening;
    const before = changes;
    const rows = await read(subject);
    if (keep && changes === before) kept.set(subject, rows);
    return rows;
  };
}
