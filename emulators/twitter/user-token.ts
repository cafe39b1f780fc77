import { seedTwitterUser } from './fixtures/seed.ts';

/**
 * The emulator's OAuth 2.0 user-context tokens: `user-<user id>` acts as that user (see auth.ts). Public
 * on purpose, like the app bearer token: they only open the emulator.
 */
export const USER_TOKEN_PREFIX = 'user-';

export function userAccessToken(userId: string): string {
  return `${USER_TOKEN_PREFIX}${userId}`;
}

/** The user token `npm start` hands the gateway: it posts as the first seed account, @ada_builds. */
export const TWITTER_EMULATOR_USER_TOKEN = userAccessToken(seedTwitterUser('ada_builds').id);
