import { tweetCreateActivity, tweetDeleteActivity } from '../account-activity.ts';
import { ok, type ApiHandler } from '../api.ts';
import { renderTweet } from '../fields.ts';
import { expandTweets } from '../includes.ts';
import { lookupBody } from '../lookup-body.ts';
import { readNewTweet } from '../new-tweet.ts';
import { forbidden, notFound, unsupportedAuthentication } from '../problems.ts';
import { QueryReader } from '../query-params.ts';
import { readTweetSelection, TWEET_SELECTION_PARAMETERS } from '../selection.ts';
import type { StoredTweet } from '../store.ts';
import { RANGE_PARAMETERS, readPageToken, readTweetRange, timelineBody } from '../timeline.ts';

const MAX_LOOKUP = 100;

/** GET /2/tweets?ids=: found tweets in `data` (in the order asked), the others as partial errors. */
export const lookupTweets: ApiHandler = ({ query }, { store }) => {
  const reader = new QueryReader(query, ['ids', ...TWEET_SELECTION_PARAMETERS]);
  const ids = reader.ids('ids', MAX_LOOKUP);
  const selection = readTweetSelection(reader);
  reader.assertValid();
  const lookup = lookupBody(ids, (id) => store.tweet(id), { resource: 'tweet', parameter: 'ids' }, (tweet) => tweet);
  const found = lookup.data ?? [];
  const { includes, errors } = expandTweets(found, selection, store);
  const allErrors = [...(lookup.errors ?? []), ...errors];
  return ok({
    ...(found.length > 0 ? { data: found.map((tweet) => renderTweet(tweet, selection.tweetFields)) } : {}),
    ...(includes ? { includes } : {}),
    ...(allErrors.length > 0 ? { errors: allErrors } : {}),
  });
};

/** GET /2/tweets/:id: an unknown id is still a 200, carrying only the error. */
export const tweetById: ApiHandler = ({ query, params }, { store }) => {
  const reader = new QueryReader(query, TWEET_SELECTION_PARAMETERS);
  const id = reader.pathId('id', params['id'] ?? '');
  const selection = readTweetSelection(reader);
  reader.assertValid();
  const tweet = store.tweet(id);
  if (!tweet) return ok({ errors: [notFound('tweet', 'id', id)] });
  const { includes, errors } = expandTweets([tweet], selection, store);
  return ok({
    data: renderTweet(tweet, selection.tweetFields),
    ...(includes ? { includes } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  });
};

const EXCLUDABLE = ['replies', 'retweets'] as const;

/**
 * GET /2/users/:id/tweets: the user's tweets, newest first, `max_results` (5–100, default 10) a page,
 * paged with `pagination_token` both ways; `exclude=replies` drops replies (the seed has no retweets).
 */
export const userTimeline: ApiHandler = ({ query, params }, { store }) => {
  const reader = new QueryReader(query, ['max_results', 'pagination_token', 'exclude', ...RANGE_PARAMETERS, ...TWEET_SELECTION_PARAMETERS]);
  const userId = reader.pathId('id', params['id'] ?? '');
  const size = reader.integer('max_results', { min: 5, max: 100, fallback: 10 });
  const token = readPageToken(reader, 'pagination_token');
  const exclude = reader.subset('exclude', EXCLUDABLE);
  const inRange = readTweetRange(reader);
  const selection = readTweetSelection(reader);
  reader.assertValid();

  if (!store.user(userId)) return ok({ errors: [notFound('user', 'id', userId)] });
  const tweets = store
    .tweetsNewestFirst()
    .filter((tweet) => tweet.authorId === userId && inRange(tweet) && !(exclude.has('replies') && tweet.inReplyTo));
  return ok(timelineBody(tweets, { size, token, withPreviousToken: true }, selection, store));
};

/**
 * POST /2/tweets with a JSON body `{ "text": "…" }` (and optionally `reply.in_reply_to_tweet_id`), as the
 * user of a user-context token. Answers 201 with the new tweet's id and text; raises a tweet_create event.
 */
export const createTweet: ApiHandler = ({ query, body, caller }, { store, now }) => {
  if (caller.kind !== 'user') throw unsupportedAuthentication();
  new QueryReader(query, []).assertValid();
  const request = readNewTweet(body);
  const author = store.user(caller.userId);
  if (!author) throw unsupportedAuthentication(); // authentication only lets existing users through

  if (store.tweetsNewestFirst().some((tweet) => tweet.authorId === author.id && tweet.text === request.text)) {
    throw forbidden('You are not allowed to create a Tweet with duplicate content.');
  }
  const parent = request.inReplyToTweetId === undefined ? undefined : store.tweet(request.inReplyToTweetId);
  if (request.inReplyToTweetId !== undefined && !parent) {
    throw forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
  }

  const nowMs = now();
  const id = store.mintTweetId(nowMs);
  const tweet: StoredTweet = {
    id,
    authorId: author.id,
    text: request.text,
    // X dates tweets to the second.
    createdAt: new Date(Math.floor(nowMs / 1000) * 1000).toISOString(),
    lang: request.lang,
    conversationId: parent?.conversationId ?? id,
    inReplyTo: parent ? { userId: parent.authorId, tweetId: parent.id } : undefined,
    publicMetrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 },
  };
  store.addTweet(tweet);
  return {
    status: 201,
    body: { data: { id, text: tweet.text, edit_history_tweet_ids: [id] } },
    activity: tweetCreateActivity(tweet, author, store),
  };
};

/**
 * DELETE /2/tweets/:id, by the tweet's author only (403 otherwise). A tweet that does not exist (or is
 * already gone) answers 200 `{ data: { deleted: false } }` with a not-found error beside it.
 */
export const deleteTweet: ApiHandler = ({ query, params, caller }, { store, now }) => {
  if (caller.kind !== 'user') throw unsupportedAuthentication();
  const reader = new QueryReader(query, []);
  const id = reader.pathId('id', params['id'] ?? '');
  reader.assertValid();

  const tweet = store.tweet(id);
  if (!tweet) return ok({ data: { deleted: false }, errors: [notFound('tweet', 'id', id)] });
  if (tweet.authorId !== caller.userId) throw forbidden('You are not allowed to delete a Tweet you did not create.');
  store.removeTweet(id);
  return { status: 200, body: { data: { deleted: true } }, activity: tweetDeleteActivity(tweet, now()) };
};
