import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN, DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET, startTwitterEmulator, TWITTER_EMULATOR_OAUTH_CLIENT, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { startTestApp } from '../support/app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { connectAccountAs } from './browser.ts';

const RETURN_TO = 'http://localhost:3000/settings/connections';
// No `twitter` claims: their connections alone make them @ada_builds and @dmitri_codes.
const ADA = { sub: 'user-ada', scope: 'social:read social:write' };
const DMITRI = { sub: 'user-dmitri', scope: 'social:read social:write' };

const POST = 'mutation ($t: String!) { postTweet(text: $t) { id } }';
const DELETE = 'mutation ($id: ID!) { deleteTweet(id: $id) { deleted } }';
const DELETE_ENDPOINT = 'DELETE /2/tweets/:id';

/**
 * X counts user-context calls per user: on the Basic tier (the emulator's default) each user may delete 5
 * posts per 15 minutes. Through the whole stack, a connected user who spent that window is refused alone,
 * without calling X again; another connected user's deletes go on.
 */
describe('X rate limits per connected user, through the gateway', () => {
  let x: TwitterEmulator;
  let app: RunningApp;

  beforeAll(async () => {
    x = await startTwitterEmulator({ port: 0 });
    app = await startTestApp({
      TWITTER_BEARER_TOKEN: DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN,
      TWITTER_CONSUMER_SECRET: DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET,
      TWITTER_API_BASE: x.url,
      TWITTER_OAUTH_CLIENT_ID: TWITTER_EMULATOR_OAUTH_CLIENT.clientId,
      TWITTER_OAUTH_CLIENT_SECRET: TWITTER_EMULATOR_OAUTH_CLIENT.clientSecret!,
      CONNECTIONS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await x?.close();
  });

  const as = async (claims: Record<string, unknown>, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(app.gateway.url, query, variables, await authorization(claims));
  /** Connects `claims`' user to the X account `login`, and checks it is active. */
  const connect = async (claims: Record<string, unknown>, login: string) =>
    expect(await connectAccountAs((query, variables) => as(claims, query, variables), 'TWITTER', login, RETURN_TO)).toEqual({
      data: { confirmConnection: { provider: 'TWITTER', login, status: 'ACTIVE' } },
    });
  const post = async (claims: Record<string, unknown>, text: string) => {
    const posted = await as(claims, POST, { t: text });
    expect(posted.body.errors).toBeUndefined();
    return (posted.body.data as { postTweet: { id: string } }).postTweet.id;
  };

  it('refuses the user whose delete window is spent, without calling X, and not another user', async () => {
    await connect(ADA, 'ada_builds');
    await connect(DMITRI, 'dmitri_codes');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await post(ADA, `Draft ${i} of the release notes`));
    for (const id of ids.slice(0, 5)) expect((await as(ADA, DELETE, { id })).body).toEqual({ data: { deleteTweet: { deleted: true } } });

    // X said Ada has none left: her sixth delete is refused here, and never sent.
    const sent = x.requests.count(DELETE_ENDPOINT);
    const refused = await as(ADA, DELETE, { id: ids[5] });
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(x.requests.count(DELETE_ENDPOINT)).toBe(sent);

    // Dmitri's window is his own.
    const his = await post(DMITRI, 'Retries need idempotency keys');
    expect((await as(DMITRI, DELETE, { id: his })).body).toEqual({ data: { deleteTweet: { deleted: true } } });
    expect(x.requests.count(DELETE_ENDPOINT)).toBe(sent + 1);
  }, 30_000);

  it('refuses every connected user once the app’s own 24-hour cap is spent, after one refusal from X', async () => {
    // X's Basic tier caps posting per app per 24 hours too (x-app-limit-24hour-*): all users' posts count.
    x.rateLimits.spend('POST /2/tweets', '24hour');
    expect(errorCodes(await as(ADA, POST, { t: 'One more for today' }))).toEqual(['RATE_LIMITED']);
    const sent = x.requests.count('POST /2/tweets');
    expect(errorCodes(await as(DMITRI, POST, { t: 'And mine' }))).toEqual(['RATE_LIMITED']);
    expect(x.requests.count('POST /2/tweets')).toBe(sent);
  }, 30_000);
});
