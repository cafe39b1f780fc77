import type { TwitterApi, TwitterApiReadOnly } from 'twitter-api-v2';
import type { CallGuard } from '../../kit/resilience/call-guard.ts';
import type { TimelinePosition } from './cursor.ts';
import type { TweetModel, TweetPageModel } from './models.ts';
import { toTweet, TWEET_FIELDS } from './wire.ts';
import { asXAccount } from './errors.ts';

export const TWEETS_PER_LOOKUP = 100;

export async function retrieveTweets(reader: TwitterApiReadOnly, guard: CallGuard, ids: readonly string[]): Promise<(TweetModel | null)[]> {
  const result = await guard.run('GET /2/tweets', () => reader.v2.tweets([...ids], { 'tweet.fields': [...TWEET_FIELDS] }), { idempotent: true });
  const found = new Map((result.data ?? []).map((tweet) => [tweet.id, toTweet(tweet)]));
  return ids.map((id) => found.get(id) ?? null);
}

/** One user's posts, newest first. X has no multi-user timeline: one call per user. */
export async function retrieveTimeline(
  reader: TwitterApiReadOnly,
  guard: CallGuard,
  { userId, first, after }: { userId: string; first: number; after?: TimelinePosition | undefined },
): Promise<TweetPageModel> {
  const page = await guard.run(
    'GET /2/users/:id/tweets',
    () =>
      reader.v2.userTimeline(userId, {
        max_results: first,
        'tweet.fields': [...TWEET_FIELDS],
        ...(after && 'paginationToken' in after ? { pagination_token: after.paginationToken } : {}),
        ...(after && 'untilId' in after ? { until_id: after.untilId } : {}),
      }),
    { idempotent: true },
  );
  return { tweets: page.tweets.map(toTweet), nextToken: page.meta.next_token ?? null, hasPrevious: after !== undefined };
}

export async function searchRecent(
  reader: TwitterApiReadOnly,
  guard: CallGuard,
  { query, first, after }: { query: string; first: number; after?: TimelinePosition | undefined },
): Promise<TweetPageModel> {
  const page = await guard.run(
    'GET /2/tweets/search/recent',
    () =>
      reader.v2.search(query, {
        max_results: first,
        'tweet.fields': [...TWEET_FIELDS],
        ...(after && 'paginationToken' in after ? { next_token: after.paginationToken } : {}),
        ...(after && 'untilId' in after ? { until_id: after.untilId } : {}),
      }),
    { idempotent: true },
  );
  return { tweets: page.tweets.map(toTweet), nextToken: page.meta.next_token ?? null, hasPrevious: after !== undefined };
}

/** Writes are never retried: X has no idempotency key, and a retried post could appear twice. */
export async function postTweet(writer: TwitterApi, guard: CallGuard, text: string): Promise<string> {
  return (await guard.run('POST /2/tweets', () => asXAccount(() => writer.v2.tweet(text)))).data.id;
}

export async function deleteTweet(writer: TwitterApi, guard: CallGuard, id: string): Promise<boolean> {
  return (await guard.run('DELETE /2/tweets/:id', () => asXAccount(() => writer.v2.deleteTweet(id)))).data.deleted;
}
