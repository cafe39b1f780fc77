import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKeyring } from '../../kit/connections/keyring.ts';
import { createConnectionStore, openTokens } from '../../kit/connections/store.ts';
import { connectionMigrations, type ConnectionTables } from '../../kit/connections/tables.ts';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.ts';

const hasPostgres = await postgresAvailable();
const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
const TTL_MS = 600_000;
const account = { id: '1001', login: 'kmensah' };
const tokens = { accessToken: 'ghu_access', refreshToken: 'ghr_refresh', expiresIn: 28_800, scopes: ['read:user', 'public_repo'] };
const required = () => ['read:user', 'public_repo'];

describe.each([
  ['Postgres', 'postgres' as const],
  ['PGlite', 'pglite' as const],
])('held connections awaiting confirmation (%s)', (_name, engine) => {
  let database: TestDatabase;
  let clock: number;
  beforeEach(async () => {
    if (engine === 'postgres' && !hasPostgres) return;
    database = await openTestDatabase(connectionMigrations, engine);
    clock = Date.parse('2026-12-07T12:00:00Z');
  });
  afterEach(async () => {
    await database?.close();
  });
  const store = () => createConnectionStore(database, keyring, () => clock);
  const rows = () => database.db.withTables<ConnectionTables>().selectFrom('connections').selectAll().execute();

  it.skipIf(engine === 'postgres' && !hasPostgres)('connects for the user who started, once, with the tokens as the provider issued them', async () => {
    const held = await store().holdForConfirmation({ subject: 'user-kwame', provider: 'github', account, tokens, ttlMs: TTL_MS });
    expect(held.expiresAt.getTime()).toBe(clock + TTL_MS);
    expect(await rows()).toEqual([]);
    clock += 5_000;
    const confirmed = await store().confirm({ ticket: held.ticket, subject: 'user-kwame', requiredScopes: required });
    expect(confirmed).toMatchObject({ ok: true, connection: { provider: 'github', login: 'kmensah', providerUserId: '1001', status: 'active', scopes: tokens.scopes } });
    const [row] = await rows();
    expect(openTokens(keyring, row!)).toEqual({ accessToken: 'ghu_access', refreshToken: 'ghr_refresh' });
    // The expiry counts from when the provider issued the token, not from the confirmation.
    expect(row!.access_expires_at?.getTime()).toBe(clock - 5_000 + 28_800_000);
    expect(await store().confirm({ ticket: held.ticket, subject: 'user-kwame', requiredScopes: required })).toEqual({ ok: false, reason: 'unknown' });
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('connects nobody when someone else confirms, or when the ticket has expired, and hands the tokens back for revoking', async () => {
    const held = await store().holdForConfirmation({ subject: 'user-mallory', provider: 'github', account, tokens, ttlMs: TTL_MS });
    expect(await store().confirm({ ticket: held.ticket, subject: 'user-kwame', requiredScopes: required })).toEqual({
      ok: false,
      reason: 'other-user',
      provider: 'github',
      providerUserId: '1001',
      tokens: { accessToken: 'ghu_access', refreshToken: 'ghr_refresh' },
    });
    // Spent by that attempt: the user who started cannot use it afterwards either.
    expect(await store().confirm({ ticket: held.ticket, subject: 'user-mallory', requiredScopes: required })).toEqual({ ok: false, reason: 'unknown' });

    const late = await store().holdForConfirmation({ subject: 'user-kwame', provider: 'github', account, tokens, ttlMs: TTL_MS });
    clock += TTL_MS;
    expect(await store().confirm({ ticket: late.ticket, subject: 'user-kwame', requiredScopes: required })).toMatchObject({ ok: false, reason: 'expired', provider: 'github' });
    expect(await rows()).toEqual([]);
  });

  it.skipIf(engine === 'postgres' && !hasPostgres)('marks a grant without the scopes now required as needing consent, and keeps no usable ticket in the database', async () => {
    const held = await store().holdForConfirmation({ subject: 'user-kwame', provider: 'github', account, tokens: { ...tokens, scopes: ['read:user'] }, ttlMs: TTL_MS });
    const stored = await database.db.withTables<ConnectionTables>().selectFrom('connection_confirmations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(held.ticket);
    expect(JSON.stringify(stored)).not.toContain('ghu_access');
    expect(await store().confirm({ ticket: held.ticket, subject: 'user-kwame', requiredScopes: required })).toMatchObject({ ok: true, connection: { status: 'needs_consent' } });
  });
});
