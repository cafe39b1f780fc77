import type { TweetV2, UserV2 } from 'twitter-api-v2';
import type { TweetModel, TwitterUserModel } from './models.ts';

/** The fields asked for on every lookup: what the schema can show, nothing more. */
export const USER_FIELDS = ['created_at', 'description', 'location', 'profile_image_url', 'public_metrics', 'verified'] as const;
export const TWEET_FIELDS = ['created_at', 'public_metrics', 'lang', 'author_id'] as const;

export function toUser(user: UserV2): TwitterUserModel {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    description: user.description ?? null,
    profileImageUrl: user.profile_image_url ?? null,
    createdAt: user.created_at ?? null,
    location: user.location ?? null,
    verified: user.verified ?? null,
    followers: user.public_metrics?.followers_count ?? null,
    following: user.public_metrics?.following_count ?? null,
    tweetCount: user.public_metrics?.tweet_count ?? null,
  };
}

export function toTweet(tweet: TweetV2): TweetModel {
  const metrics = tweet.public_metrics;
  return {
    id: tweet.id,
    text: tweet.text,
    createdAt: tweet.created_at ?? null,
    lang: tweet.lang ?? null,
    authorId: tweet.author_id ?? null,
    metrics: metrics
      ? { likes: metrics.like_count, retweets: metrics.retweet_count, replies: metrics.reply_count, quotes: metrics.quote_count, impressions: metrics.impression_count ?? null }
      : null,
  };
}
