import type { ApiV2Includes, InlineErrorV2, TweetV2, UserV2 } from 'twitter-api-v2';
import { renderTweet, renderUser, type TweetField, type UserField } from './fields.ts';
import { notFound } from './problems.ts';
import type { Store, StoredTweet } from './store.ts';

/**
 * `expansions`: every value X accepts on tweet and user endpoints. The emulator fills `includes` for
 * those it has data for (authors, replied-to users and tweets); the others are accepted and add nothing,
 * as on X for tweets without media, polls or places.
 */
export const TWEET_EXPANSIONS = [
  'article.cover_media', 'article.media_entities', 'attachments.media_keys', 'attachments.media_source_tweet',
  'attachments.poll_ids', 'author_id', 'edit_history_tweet_ids', 'entities.mentions.username',
  'entities.note.mentions.username', 'geo.place_id', 'in_reply_to_user_id', 'referenced_tweets.id',
  'referenced_tweets.id.attachments.media_keys', 'referenced_tweets.id.author_id',
] as const;
export type TweetExpansion = (typeof TWEET_EXPANSIONS)[number];

export const USER_EXPANSIONS = ['affiliation.user_id', 'most_recent_tweet_id', 'pinned_tweet_id'] as const;

/** What a response adds beside `data`: `includes` when anything was expanded, and misses as partial errors. */
export interface Expanded {
  includes?: ApiV2Includes;
  errors: InlineErrorV2[];
}

export interface Selection {
  userFields: ReadonlySet<UserField>;
  tweetFields: ReadonlySet<TweetField>;
  expansions: ReadonlySet<TweetExpansion>;
}

/** The users and tweets the `expansions` of a tweet response reference, rendered with the requested fields. */
export function expandTweets(tweets: readonly StoredTweet[], selection: Selection, store: Store): Expanded {
  const users = new Map<string, UserV2>();
  const includedTweets = new Map<string, TweetV2>();
  const errors: InlineErrorV2[] = [];
  const missing = new Set<string>();

  const addUser = (id: string, parameter: string): void => {
    if (users.has(id) || missing.has(`${parameter}:${id}`)) return;
    const user = store.user(id);
    if (user) users.set(id, renderUser(user, selection.userFields));
    else {
      missing.add(`${parameter}:${id}`);
      errors.push(notFound('user', parameter, id));
    }
  };

  const { expansions } = selection;
  for (const tweet of tweets) {
    if (expansions.has('author_id')) addUser(tweet.authorId, 'author_id');
    if (expansions.has('in_reply_to_user_id') && tweet.inReplyTo) addUser(tweet.inReplyTo.userId, 'in_reply_to_user_id');
    if (!tweet.inReplyTo || !(expansions.has('referenced_tweets.id') || expansions.has('referenced_tweets.id.author_id'))) continue;
    const referencedId = tweet.inReplyTo.tweetId;
    const referenced = store.tweet(referencedId);
    if (!referenced) {
      if (!missing.has(`referenced_tweets.id:${referencedId}`)) {
        missing.add(`referenced_tweets.id:${referencedId}`);
        errors.push(notFound('tweet', 'referenced_tweets.id', referencedId));
      }
      continue;
    }
    if (expansions.has('referenced_tweets.id')) includedTweets.set(referenced.id, renderTweet(referenced, selection.tweetFields));
    if (expansions.has('referenced_tweets.id.author_id')) addUser(referenced.authorId, 'referenced_tweets.id.author_id');
  }

  const includes: ApiV2Includes = {};
  if (users.size > 0) includes.users = [...users.values()];
  if (includedTweets.size > 0) includes.tweets = [...includedTweets.values()];
  return Object.keys(includes).length > 0 ? { includes, errors } : { errors };
}
