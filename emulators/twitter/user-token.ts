import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { seedTwitterUser } from './fixtures/seed.ts';

/**
 * The emulator's OAuth 2.0 user-context access tokens. Like X's, they expire: two hours after they are
 * issued (X's `expires_in: 7200`), after which X answers 401. A token is opaque to clients; inside it names
 * the user and the expiry, signed with a key that is public on purpose (it only opens the emulator), so any
 * emulator instance, and a test, can mint and check one.
 */
export const USER_TOKEN_LIFETIME_SECONDS = 7_200;

const SIGNING_KEY = 'twitter-emulator-user-tokens-local-development-only';

export interface UserTokenClaims {
  readonly userId: string;
  /** Unix milliseconds; the token is refused from then on. */
  readonly expiresAtMs: number;
}

export interface IssuedUserToken {
  readonly accessToken: string;
  readonly expiresAtMs: number;
}

/**
 * A user-context token for `userId`. `expiresInSeconds` (default 7200) counts from `nowMs` (default now);
 * zero or negative gives a token that is already expired.
 */
export function mintUserToken(userId: string, { nowMs = Date.now(), expiresInSeconds = USER_TOKEN_LIFETIME_SECONDS }: { nowMs?: number; expiresInSeconds?: number } = {}): IssuedUserToken {
  const expiresAtMs = Math.floor(nowMs + expiresInSeconds * 1000);
  const payload = Buffer.from(`${userId}:${expiresAtMs}:${randomBytes(6).toString('hex')}`, 'utf8').toString('base64url');
  return { accessToken: `${payload}.${sign(payload)}`, expiresAtMs };
}

/** A fresh token (valid for two hours from now) for `userId`. */
export function userAccessToken(userId: string, options?: { nowMs?: number; expiresInSeconds?: number }): string {
  return mintUserToken(userId, options).accessToken;
}

/** What a token says, or undefined when it is not one the emulator issued (expiry is the caller's to check). */
export function readUserToken(token: string): UserTokenClaims | undefined {
  const [payload = '', signature = '', ...rest] = token.split('.');
  if (rest.length > 0 || payload === '') return undefined;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const [userId = '', expiresAt = ''] = Buffer.from(payload, 'base64url').toString('utf8').split(':');
  const expiresAtMs = Number(expiresAt);
  if (!/^\d{1,19}$/.test(userId) || !Number.isSafeInteger(expiresAtMs)) return undefined;
  return { userId, expiresAtMs };
}

function sign(payload: string): string {
  return createHmac('sha256', SIGNING_KEY).update(payload).digest('base64url');
}

/**
 * The user token `npm start` hands the gateway: it posts as the first seed account, @ada_builds. Minted
 * when the process starts (this module is loaded), so it expires two hours later, as X's do.
 */
export const TWITTER_EMULATOR_USER_TOKEN = userAccessToken(seedTwitterUser('ada_builds').id);
