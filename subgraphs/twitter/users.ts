import type { TwitterApiReadOnly } from 'twitter-api-v2';
import type { CallGuard } from '../../kit/resilience/call-guard.ts';
import type { TwitterUserModel } from './models.ts';
import { toUser, USER_FIELDS } from './wire.ts';

/** X's users lookups take up to 100 ids or usernames per call. */
export const USERS_PER_LOOKUP = 100;

/** What X accepts as a username (its users lookup refuses the whole call, 400, over a single other one). */
const X_USERNAME = /^[A-Za-z0-9_]{1,15}$/;

export function isXUsername(username: string): boolean {
  return X_USERNAME.test(username);
}

/**
 * Users by username in one call; unknown usernames come back as null (X lists them in `errors`). A name X
 * could not have is null without asking: sent along, it would fail the lookup of every name batched with it.
 */
export async function retrieveUsersByUsernames(reader: TwitterApiReadOnly, guard: CallGuard, usernames: readonly string[]): Promise<(TwitterUserModel | null)[]> {
  const possible = usernames.filter(isXUsername);
  if (possible.length === 0) return usernames.map(() => null);
  const result = await guard.run('GET /2/users/by', () => reader.v2.usersByUsernames(possible, { 'user.fields': [...USER_FIELDS] }), { idempotent: true });
  const found = new Map((result.data ?? []).map((user) => [user.username.toLowerCase(), toUser(user)]));
  return usernames.map((username) => found.get(username.toLowerCase()) ?? null);
}

/** Users by id in one call; unknown ids come back as null. */
export async function retrieveUsersByIds(reader: TwitterApiReadOnly, guard: CallGuard, ids: readonly string[]): Promise<(TwitterUserModel | null)[]> {
  const result = await guard.run('GET /2/users', () => reader.v2.users([...ids], { 'user.fields': [...USER_FIELDS] }), { idempotent: true });
  const found = new Map((result.data ?? []).map((user) => [user.id, toUser(user)]));
  return ids.map((id) => found.get(id) ?? null);
}
