import type { ReferencedTweetV2, TweetV2, UserV2 } from 'twitter-api-v2';
import type { StoredTweet, StoredUser } from './store.ts';

/**
 * `user.fields` and `tweet.fields`: every value X accepts (anything else is an Invalid Request), and how
 * the ones the emulator knows are rendered. Accepted fields it has no data for (entities, withheld,
 * context_annotations…) are left out of the objects, as X leaves out fields a user or tweet does not have.
 */
export const USER_FIELDS = [
  'affiliation', 'connection_status', 'created_at', 'description', 'entities', 'id', 'is_identity_verified', 'location',
  'most_recent_tweet_id', 'name', 'parody', 'pinned_tweet_id', 'profile_banner_url', 'profile_image_url', 'protected',
  'public_metrics', 'receives_your_dm', 'subscription', 'subscription_type', 'url', 'username', 'verified',
  'verified_followers_count', 'verified_type', 'withheld',
] as const;
export type UserField = (typeof USER_FIELDS)[number];

export const TWEET_FIELDS = [
  'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id', 'created_at',
  'display_text_range', 'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id', 'in_reply_to_user_id', 'lang',
  'media_metadata', 'non_public_metrics', 'note_tweet', 'organic_metrics', 'possibly_sensitive', 'promoted_metrics',
  'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes', 'source', 'text', 'withheld',
] as const;
export type TweetField = (typeof TWEET_FIELDS)[number];

/** `id`, `name` and `username` come whatever `user.fields` says. */
export function renderUser(user: StoredUser, fields: ReadonlySet<UserField>): UserV2 {
  const rendered: UserV2 = { id: user.id, name: user.name, username: user.username };
  if (fields.has('created_at')) rendered.created_at = user.createdAt;
  if (fields.has('description')) rendered.description = user.description;
  if (fields.has('location') && user.location !== undefined) rendered.location = user.location;
  if (fields.has('url')) rendered.url = user.url;
  if (fields.has('protected')) rendered.protected = user.protected;
  if (fields.has('verified')) rendered.verified = user.verified;
  if (fields.has('profile_image_url')) rendered.profile_image_url = user.profileImageUrl;
  if (fields.has('public_metrics')) {
    rendered.public_metrics = {
      followers_count: user.followersCount,
      following_count: user.followingCount,
      tweet_count: user.tweetCount,
      listed_count: user.listedCount,
    };
  }
  return rendered;
}

/** `id`, `text` and `edit_history_tweet_ids` come whatever `tweet.fields` says. */
export function renderTweet(tweet: StoredTweet, fields: ReadonlySet<TweetField>): TweetV2 {
  const rendered: TweetV2 = { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] };
  if (fields.has('created_at')) rendered.created_at = tweet.createdAt;
  if (fields.has('author_id')) rendered.author_id = tweet.authorId;
  if (fields.has('conversation_id')) rendered.conversation_id = tweet.conversationId;
  if (fields.has('in_reply_to_user_id') && tweet.inReplyTo) rendered.in_reply_to_user_id = tweet.inReplyTo.userId;
  if (fields.has('referenced_tweets')) {
    const referenced = referencedTweets(tweet);
    if (referenced.length > 0) rendered.referenced_tweets = referenced;
  }
  if (fields.has('public_metrics')) rendered.public_metrics = { ...tweet.publicMetrics };
  if (fields.has('lang')) rendered.lang = tweet.lang;
  if (fields.has('possibly_sensitive')) rendered.possibly_sensitive = false;
  if (fields.has('reply_settings')) rendered.reply_settings = 'everyone';
  return rendered;
}

export function referencedTweets(tweet: StoredTweet): ReferencedTweetV2[] {
  return tweet.inReplyTo ? [{ type: 'replied_to', id: tweet.inReplyTo.tweetId }] : [];
}
