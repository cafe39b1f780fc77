import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwitterEmulator, TWITTER_EMULATOR_OAUTH_CLIENT, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import type { AuditRecord } from '../../kit/access/audit-log.ts';
import { parseKeyring, type Keyring } from '../../kit/connections/keyring.ts';
import { s256 } from '../../kit/connections/pkce.ts';
import { createConnectionStore, reencryptConnections } from '../../kit/connections/store.ts';
import { connectionMigrations, type ConnectionTables } from '../../kit/connections/tables.ts';
import { createTokenVault } from '../../kit/connections/vault.ts';
import { silentLogger } from '../../kit/logger.ts';
import { createXOAuthProvider } from '../../subgraphs/twitter/oauth.ts';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.ts';
import { decideOnConsentPage } from './browser.ts';

const hasPostgres = await postgresAvailable();
const key = () => randomBytes(32).toString('base64');
const CALLBACK = 'http://127.0.0.1:9/oauth/twitter/callback';

describe.skipIf(!hasPostgres)('the connections vault (real Postgres, the X emulator’s OAuth endpoints)', () => {
  let x: TwitterEmulator;
  let database: TestDatabase;
  let oauth: ReturnType<typeof createXOAuthProvider>;
  beforeEach(async () => {
    x = await startTwitterEmulator({ port: 0 });
    database = await openTestDatabase(connectionMigrations);
    oauth = createXOAuthProvider({ clientId: TWITTER_EMULATOR_OAUTH_CLIENT.clientId, clientSecret: TWITTER_EMULATOR_OAUTH_CLIENT.clientSecret, authorizeUrl: `${x.url}/i/oauth2/authorize`, apiBase: x.url });
  });
  afterEach(async () => {
    oauth.close();
    await x.close();
    await database.close();
  });

  /** Ada approves on X's consent page; the exchanged tokens are stored under `keyring`. */
  async function connectAda(keyring: Keyring) {
    const verifier = randomBytes(48).toString('base64url');
    const { location } = await decideOnConsentPage(oauth.authorizationUrl({ state: 's', codeChallenge: s256(verifier), redirectUri: CALLBACK }), 'Authorize app');
    const code = new URL(location).searchParams.get('code')!;
    // PKCE is enforced: the code does not open without its verifier.
    await expect(oauth.exchange({ code, codeVerifier: randomBytes(48).toString('base64url'), redirectUri: CALLBACK })).rejects.toThrow();
    const { location: second } = await decideOnConsentPage(oauth.authorizationUrl({ state: 's', codeChallenge: s256(verifier), redirectUri: CALLBACK }), 'Authorize app');
    const tokens = await oauth.exchange({ code: new URL(second).searchParams.get('code')!, codeVerifier: verifier, redirectUri: CALLBACK });
    const account = await oauth.identify(tokens.accessToken);
    await createConnectionStore(database, keyring).saveConnection({ subject: 'user-ada', provider: 'twitter', account, tokens, requiredScopes: oauth.requiredScopes });
    return tokens;
  }
  const keyIdOfRow = async () => (await database.db.withTables<ConnectionTables>().selectFrom('connections').select('key_id').executeTakeFirstOrThrow()).key_id;

  it('rotates the encryption key: reads with any listed key, writes with the newest, and retires the old one', async () => {
    const k1 = `k1:${key()}`;
    const k2 = `k2:${key()}`;
    const connected = await connectAda(parseKeyring(k1));
    expect(await keyIdOfRow()).toBe('k1');

    const both = parseKeyring(`${k2},${k1}`);
    const vault = createTokenVault({ database, keyring: both, provider: oauth, logger: silentLogger });
    expect((await vault.tokenFor('user-ada'))?.accessToken).toBe(connected.accessToken);
    expect(await reencryptConnections(database, both)).toBe(1);
    expect(await keyIdOfRow()).toBe('k2');

    const onlyNew = createTokenVault({ database, keyring: parseKeyring(k2), provider: oauth, logger: silentLogger });
    expect((await onlyNew.tokenFor('user-ada'))?.login).toBe('ada_builds');
    // A refresh writes with the newest key too, and the old key no longer opens anything.
    x.advanceClock(7_200);
    const refreshed = await onlyNew.refreshAfterRejection('user-ada', connected.accessToken);
    expect(refreshed.accessToken).not.toBe(connected.accessToken);
    const onlyOld = createTokenVault({ database, keyring: parseKeyring(k1), provider: oauth, logger: silentLogger });
    await expect(onlyOld.tokenFor('user-ada')).rejects.toThrow(/no key k2/);
  }, 30_000);

  it('refreshes before expiry, and marks the connection revoked (not PROVIDER_UNAVAILABLE) on invalid_grant', async () => {
    const keyring = parseKeyring(`k1:${key()}`);
    const connected = await connectAda(keyring);
    const records: AuditRecord[] = [];
    let now = Date.now();
    const vault = createTokenVault({ database, keyring, provider: oauth, logger: silentLogger, audit: { write: (r) => records.push(r), close: async () => {} }, now: () => now });

    now += 7_200_000 - 30_000; // within the refresh margin: refreshed before use
    const before = x.oauth.tokenRequests.refresh_token;
    const early = await vault.tokenFor('user-ada');
    expect(early?.accessToken).not.toBe(connected.accessToken);
    expect(x.oauth.tokenRequests.refresh_token - before).toBe(1);

    // The user revokes the app at X; the next refresh meets invalid_grant.
    await oauth.revoke({ accessToken: early!.accessToken });
    now += 7_200_000;
    const error = await vault.tokenFor('user-ada').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'CONNECTION_REQUIRED', provider: 'twitter', status: 'REVOKED' });
    const row = await database.db.withTables<ConnectionTables>().selectFrom('connections').select('status').executeTakeFirstOrThrow();
    expect(row.status).toBe('revoked');
    expect(records.map((r) => `${r.field}:${r.outcome}`)).toEqual(['refreshConnection:CONNECTION_REVOKED']);
    // Marked: later calls are refused at once, without spending anything at X.
    const spent = x.oauth.tokenRequests.refresh_token;
    await expect(vault.tokenFor('user-ada')).rejects.toThrow(/connect it again/);
    expect(x.oauth.tokenRequests.refresh_token).toBe(spent);
  }, 30_000);
});
