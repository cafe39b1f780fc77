import type { InlineErrorV2, TweetV2 } from 'twitter-api-v2';
import { renderTweet } from './fields.ts';
import { expandTweets, type Selection } from './includes.ts';
import { decodePageToken, pageOf, type PageToken } from './paging.ts';
import type { QueryReader } from './query-params.ts';
import { compareIds } from './snowflake.ts';
import type { Store, StoredTweet } from './store.ts';

/** What user timelines and recent search share: the range parameters, paging, and the response body. */

/** The range parameters: `since_id` and `until_id` exclusive, `start_time` inclusive, `end_time` exclusive. */
export const RANGE_PARAMETERS = ['since_id', 'until_id', 'start_time', 'end_time'] as const;

export function readTweetRange(reader: QueryReader): (tweet: StoredTweet) => boolean {
  const sinceId = reader.optionalId('since_id');
  const untilId = reader.optionalId('until_id');
  const startMs = reader.time('start_time');
  const endMs = reader.time('end_time');
  return (tweet) => {
    if (sinceId !== undefined && compareIds(tweet.id, sinceId) <= 0) return false;
    if (untilId !== undefined && compareIds(tweet.id, untilId) >= 0) return false;
    const createdMs = Date.parse(tweet.createdAt);
    if (startMs !== undefined && createdMs < startMs) return false;
    if (endMs !== undefined && createdMs >= endMs) return false;
    return true;
  };
}

export function readPageToken(reader: QueryReader, name: string): PageToken | undefined {
  const value = reader.string(name);
  if (value === undefined) return undefined;
  const token = decodePageToken(value);
  if (!token) reader.reject(name, value, `The \`${name}\` query parameter value [${value}] is not valid`);
  return token;
}

export interface TimelineBody {
  data?: TweetV2[];
  includes?: ReturnType<typeof expandTweets>['includes'];
  errors?: InlineErrorV2[];
  meta: { result_count: number; newest_id?: string; oldest_id?: string; next_token?: string; previous_token?: string };
}

/**
 * One page of a newest-first tweet list in X's envelope. `withPreviousToken`: user timelines offer a way
 * back (`previous_token`), recent search does not.
 */
export function timelineBody(
  tweets: readonly StoredTweet[],
  paging: { size: number; token: PageToken | undefined; withPreviousToken: boolean },
  selection: Selection,
  store: Store,
): TimelineBody {
  const page = pageOf(tweets, paging.size, paging.token);
  const { includes, errors } = expandTweets(page.items, selection, store);
  const meta: TimelineBody['meta'] = { result_count: page.items.length };
  if (page.items.length > 0) {
    meta.newest_id = page.items[0]!.id;
    meta.oldest_id = page.items.at(-1)!.id;
  }
  if (page.nextToken !== undefined) meta.next_token = page.nextToken;
  if (paging.withPreviousToken && page.previousToken !== undefined) meta.previous_token = page.previousToken;

  const data = page.items.map((tweet) => renderTweet(tweet, selection.tweetFields));
  // Key order as X writes it: data, includes, errors, meta.
  return {
    ...(data.length > 0 ? { data } : {}),
    ...(includes ? { includes } : {}),
    ...(errors.length > 0 ? { errors } : {}),
    meta,
  };
}
