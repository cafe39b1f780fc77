import { TWEET_FIELDS, USER_FIELDS } from './fields.ts';
import { TWEET_EXPANSIONS, USER_EXPANSIONS, type Selection } from './includes.ts';
import type { QueryReader } from './query-params.ts';

/**
 * The parameters that shape response objects. `media.fields`, `place.fields` and `poll.fields` are
 * accepted on tweet endpoints but change nothing: the emulator has no media, places or polls.
 */
export const TWEET_SELECTION_PARAMETERS = ['expansions', 'tweet.fields', 'user.fields', 'media.fields', 'place.fields', 'poll.fields'] as const;
export const USER_SELECTION_PARAMETERS = ['expansions', 'tweet.fields', 'user.fields'] as const;

export function readTweetSelection(reader: QueryReader): Selection {
  return {
    userFields: reader.subset('user.fields', USER_FIELDS),
    tweetFields: reader.subset('tweet.fields', TWEET_FIELDS),
    expansions: reader.subset('expansions', TWEET_EXPANSIONS),
  };
}

/** User endpoints take user expansions (pinned tweet, affiliation), which the seed has nothing for. */
export function readUserSelection(reader: QueryReader): Pick<Selection, 'userFields' | 'tweetFields'> {
  reader.subset('expansions', USER_EXPANSIONS);
  return { userFields: reader.subset('user.fields', USER_FIELDS), tweetFields: reader.subset('tweet.fields', TWEET_FIELDS) };
}
