import type { GraphQLError } from 'graphql';
import type { AuditLog } from '../access/audit-log.ts';
import type { Database } from '../database/database.ts';
import { ErrorCode, gatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Keyring } from './keyring.ts';
import { GrantRevokedError, type OAuthProvider } from './oauth-provider.ts';
import { openTokens, sealContext } from './store.ts';
import type { ConnectionStatus, ConnectionTables } from './tables.ts';

/** A usable token of one user at one provider: what a subgraph calls the provider with. */
export interface UserToken {
  accessToken: string;
  login: string;
  providerUserId: string;
  scopes: readonly string[];
}

export interface TokenVault {
  /** The subject's token, refreshed first when it expires within the margin; undefined when not connected. */
  tokenFor(subject: string): Promise<UserToken | undefined>;
  /** After the provider refused `rejected` (401): a refreshed token, once; another replica's refresh is reused. */
  refreshAfterRejection(subject: string, rejected: string): Promise<UserToken>;
  /**
   * Runs `call` with the subject's token; when `isUnauthorized` says the provider refused it, refreshes once
   * and runs it again. Undefined when the subject has no connection (the caller decides what that means).
   */
  withToken<T>(subject: string, call: (token: UserToken) => Promise<T>, isUnauthorized: (error: unknown) => boolean): Promise<{ value: T } | undefined>;
}

/** The user's connection cannot be used: they must connect again (never PROVIDER_UNAVAILABLE). */
export function connectionRequired(provider: OAuthProvider | { name: string; displayName: string }, status: ConnectionStatus | 'missing'): GraphQLError {
  const why = { expired: 'has expired', revoked: 'was revoked', needs_consent: 'needs your consent again', missing: 'is not connected', active: 'was refused' }[status];
  return gatewayError(ErrorCode.CONNECTION_REQUIRED, `Your ${provider.displayName} account ${why}: connect it again (connectAccount)`, {
    provider: provider.name,
    status: status === 'missing' ? 'MISSING' : status.toUpperCase(),
  });
}

export interface TokenVaultOptions {
  database: Database;
  keyring: Keyring;
  provider: OAuthProvider;
  logger: Logger;
  audit?: AuditLog | undefined;
  now?: () => number;
  /** Refresh this long before the access token expires (default 60 s), so calls never meet an expiry mid-flight. */
  refreshMarginMs?: number;
}

type Row = ConnectionTables['connections'];
type Outcome = { kind: 'token'; token: UserToken } | { kind: 'missing' } | { kind: 'unusable'; status: ConnectionStatus } | { kind: 'failed'; error: unknown };

/**
 * Users' tokens at one provider, refreshed before expiry and once after a 401. A refresh is single-flight:
 * within the process (one promise per user) and across replicas (the row is locked `FOR UPDATE` in a
 * transaction and read again under the lock; a replica that waited finds the token already replaced and
 * uses it). Providers rotate refresh tokens, so spending one twice would revoke the grant.
 */
export function createTokenVault({ database, keyring, provider, logger, audit, now = Date.now, refreshMarginMs = 60_000 }: TokenVaultOptions): TokenVault {
  const db = database.db.withTables<ConnectionTables>();
  const inFlight = new Map<string, Promise<UserToken>>();
  const log = logger.child({ connections: provider.name });

  const tokenOf = (row: Row): UserToken => ({
    accessToken: openTokens(keyring, row).accessToken,
    login: row.login,
    providerUserId: row.provider_user_id,
    scopes: row.scopes.split(' ').filter(Boolean),
  });
  const expiringSoon = (row: Row) => row.access_expires_at !== null && row.access_expires_at.getTime() - refreshMarginMs <= now();

  const auditRefreshFailure = (subject: string, outcome: string) =>
    audit?.write({
      time: new Date(now()).toISOString(),
      requestId: '',
      principal: subject,
      operationName: null,
      field: 'refreshConnection',
      provider: provider.name,
      providerRequestIds: [],
      outcome,
      arguments: { provider: provider.name },
    });

  /** Under the row lock: read again, and refresh only if nobody has since `rejected` (or the expiry) did. */
  async function refreshLocked(subject: string, rejected: string | undefined): Promise<Outcome> {
    return db.transaction().execute(async (tx): Promise<Outcome> => {
      const row = await tx.selectFrom('connections').selectAll().where('subject', '=', subject).where('provider', '=', provider.name).forUpdate().executeTakeFirst();
      if (!row) return { kind: 'missing' };
      if (row.status !== 'active') return { kind: 'unusable', status: row.status };
      const current = tokenOf(row);
      const stillGood = rejected === undefined ? !expiringSoon(row) : current.accessToken !== rejected;
      if (stillGood) return { kind: 'token', token: current };
      const { refreshToken } = openTokens(keyring, row);
      const setStatus = async (status: ConnectionStatus) => {
        await tx.updateTable('connections').set({ status, updated_at: new Date(now()) }).where('id', '=', row.id).execute();
        return { kind: 'unusable', status } as const;
      };
      if (refreshToken === undefined || (row.refresh_expires_at !== null && row.refresh_expires_at.getTime() <= now())) {
        auditRefreshFailure(subject, 'CONNECTION_EXPIRED');
        return setStatus('expired');
      }
      let tokens;
      try {
        tokens = await provider.refresh(refreshToken);
      } catch (error) {
        if (error instanceof GrantRevokedError) {
          auditRefreshFailure(subject, 'CONNECTION_REVOKED');
          return setStatus('revoked');
        }
        auditRefreshFailure(subject, 'PROVIDER_UNAVAILABLE');
        // The row is unchanged: the refresh token may still be good, so a later call tries again.
        return { kind: 'failed', error };
      }
      const at = new Date(now());
      const access = keyring.seal(tokens.accessToken, sealContext(subject, provider.name, 'access'));
      // A provider that does not rotate keeps the old refresh token valid: keep it.
      const nextRefresh = keyring.seal(tokens.refreshToken ?? refreshToken, sealContext(subject, provider.name, 'refresh'));
      const updated = await tx
        .updateTable('connections')
        .set({
          key_id: access.keyId,
          access_token: access.value,
          refresh_token: nextRefresh.value,
          access_expires_at: tokens.expiresIn === undefined ? null : new Date(at.getTime() + tokens.expiresIn * 1000),
          ...(tokens.refreshExpiresIn === undefined ? {} : { refresh_expires_at: new Date(at.getTime() + tokens.refreshExpiresIn * 1000) }),
          ...(tokens.scopes.length > 0 ? { scopes: tokens.scopes.join(' ') } : {}),
          refreshed_at: at,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      log.info({ subject }, 'connection refreshed');
      return { kind: 'token', token: tokenOf(updated) };
    });
  }

  function refresh(subject: string, rejected: string | undefined): Promise<UserToken> {
    const key = `${subject}\n${rejected ?? ''}`;
    const running = inFlight.get(key);
    if (running) return running;
    const attempt = refreshLocked(subject, rejected)
      .then((outcome) => {
        // Thrown after the transaction committed, so a status change is kept.
        if (outcome.kind === 'token') return outcome.token;
        if (outcome.kind === 'missing') throw connectionRequired(provider, 'missing');
        if (outcome.kind === 'unusable') throw connectionRequired(provider, outcome.status);
        throw outcome.error;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, attempt);
    return attempt;
  }

  const vault: TokenVault = {
    async tokenFor(subject) {
      const row = await db.selectFrom('connections').selectAll().where('subject', '=', subject).where('provider', '=', provider.name).executeTakeFirst();
      if (!row) return undefined;
      if (row.status !== 'active') throw connectionRequired(provider, row.status);
      return expiringSoon(row) ? refresh(subject, undefined) : tokenOf(row);
    },
    refreshAfterRejection: (subject, rejected) => refresh(subject, rejected),
    async withToken(subject, call, isUnauthorized) {
      const token = await vault.tokenFor(subject);
      if (!token) return undefined;
      try {
        return { value: await call(token) };
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
      }
      const fresh = await vault.refreshAfterRejection(subject, token.accessToken);
      try {
        return { value: await call(fresh) };
      } catch (error) {
        // Refused right after a refresh: the grant is gone at the provider (revoked there).
        if (isUnauthorized(error)) throw connectionRequired(provider, 'revoked');
        throw error;
      }
    },
  };
  return vault;
}
