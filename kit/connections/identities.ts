import type { Caller, Principal } from '../access/principal.ts';
import type { Database } from '../database/database.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionTables } from './tables.ts';

type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/**
 * The gateway's authentication, with each signed-in user's linked identities taken from their active
 * connections (a connected X or GitHub account is theirs, whatever the token says); claims still count
 * where there is no connection (service tokens, tests). Ownership rules and `viewer` then use them.
 * One indexed read per authenticated operation; if the database cannot answer, the claims stand.
 */
export function withConnectedIdentities(authenticate: Authenticate, database: Database, logger: Logger): Authenticate {
  const db = database.db.withTables<ConnectionTables>();
  return async (authorization) => {
    const caller = await authenticate(authorization);
    if (caller.kind !== 'user') return caller;
    let rows: { provider: string; login: string }[];
    try {
      rows = await db.selectFrom('connections').select(['provider', 'login']).where('subject', '=', caller.principal.subject).where('status', '=', 'active').execute();
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
