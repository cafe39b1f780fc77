import type { TwitterApiReadOnly } from 'twitter-api-v2';
import type { CallGuard } from '../../kit/resilience/call-guard.ts';
import type { TwitterUserModel } from './models.ts';
import { toUser, USER_FIELDS } from './wire.ts';

/** X's users lookups take up to 100 ids or usernames per call. */
export const USERS_PER_LOOKUP = 100;

/** Users by username in one call; unknown usernames come back as null (X lists them in `errors`). */
export async function retrieveUsersByUsernames(reader: TwitterApiReadOnly, guard: CallGuard, usernames: readonly string[]): Promise<(TwitterUserModel | null)[]> {
  const result = await guard.run('GET /2/users/by', () => reader.v2.usersByUsernames([...usernames], { 'user.fields': [...USER_FIELDS] }), { idempotent: true });
  const found = new Map((result.data ?? []).map((user) => [user.username.toLowerCase(), toUser(user)]));
  return usernames.map((username) => found.get(username.toLowerCase()) ?? null);
}

/** Users by id in one call; unknown ids come back as null. */
export async function retrieveUsersByIds(reader: TwitterApiReadOnly, guard: CallGuard, ids: readonly string[]): Promise<(TwitterUserModel | null)[]> {
  const result = await guard.run('GET /2/users', () => reader.v2.users([...ids], { 'user.fields': [...USER_FIELDS] }), { idempotent: true });
  const found = new Map((result.data ?? []).map((user) => [user.id, toUser(user)]));
  return ids.map((id) => found.get(id) ?? null);
}
