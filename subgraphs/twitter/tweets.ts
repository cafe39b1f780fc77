import type { TwitterApi, TwitterApiReadOnly } from 'twitter-api-v2';
import type { QuotaTracker } from '../kit/quota.ts';
import type { TimelinePosition } from './cursor.ts';
import type { TweetModel, TweetPageModel } from './models.ts';
import { toTweet, TWEET_FIELDS } from './wire.ts';

export const TWEETS_PER_LOOKUP = 100;

export async function retrieveTweets(reader: TwitterApiReadOnly, quota: QuotaTracker, ids: readonly string[]): Promise<(TweetModel | null)[]> {
  quota.assertAvailable('GET /2/tweets');
  const result = await reader.v2.tweets([...ids], { 'tweet.fields': [...TWEET_FIELDS] });
  const found = new Map((result.data ?? []).map((tweet) => [tweet.id, toTweet(tweet)]));
  return ids.map((id) => found.get(id) ?? null);
}

/** One user's posts, newest first. X has no multi-user timeline: one call per user. */
export async function retrieveTimeline(
  reader: TwitterApiReadOnly,
  quota: QuotaTracker,
  { userId, first, after }: { userId: string; first: number; after?: TimelinePosition | undefined },
): Promise<TweetPageModel> {
  quota.assertAvailable('GET /2/users/:id/tweets');
  const page = await reader.v2.userTimeline(userId, {
    max_results: first,
    'tweet.fields': [...TWEET_FIELDS],
    ...(after && 'paginationToken' in after ? { pagination_token: after.paginationToken } : {}),
    ...(after && 'untilId' in after ? { until_id: after.untilId } : {}),
  });
  return { tweets: page.tweets.map(toTweet), nextToken: page.meta.next_token ?? null, hasPrevious: after !== undefined };
}

export async function searchRecent(
  reader: TwitterApiReadOnly,
  quota: QuotaTracker,
  { query, first, after }: { query: string; first: number; after?: TimelinePosition | undefined },
): Promise<TweetPageModel> {
  quota.assertAvailable('GET /2/tweets/search/recent');
  const page = await reader.v2.search(query, {
    max_results: first,
    'tweet.fields': [...TWEET_FIELDS],
    ...(after && 'paginationToken' in after ? { next_token: after.paginationToken } : {}),
    ...(after && 'untilId' in after ? { until_id: after.untilId } : {}),
  });
  return { tweets: page.tweets.map(toTweet), nextToken: page.meta.next_token ?? null, hasPrevious: after !== undefined };
}

export async function postTweet(writer: TwitterApi, text: string): Promise<string> {
  return (await writer.v2.tweet(text)).data.id;
}

export async function deleteTweet(writer: TwitterApi, id: string): Promise<boolean> {
  return (await writer.v2.deleteTweet(id)).data.deleted;
}
