import { ok, type ApiHandler } from '../api.ts';
import { QueryReader } from '../query-params.ts';
import { matchesSearchQuery, parseSearchQuery, SearchQueryError, type SearchQuery } from '../search-query.ts';
import { readTweetSelection, TWEET_SELECTION_PARAMETERS } from '../selection.ts';
import { RANGE_PARAMETERS, readPageToken, readTweetRange, timelineBody } from '../timeline.ts';

/** X caps a recent-search query at 512 characters (Basic and Pro access). */
const MAX_QUERY_LENGTH = 512;

/** Recent search covers the last seven days, up to ten seconds before the request. */
export const RECENT_SEARCH_WINDOW_MS = 7 * 24 * 60 * 60_000;
const END_TIME_MARGIN_MS = 10_000;

/**
 * GET /2/tweets/search/recent: tweets matching `query` (see search-query.ts for the syntax understood),
 * newest first, `max_results` (10–100, default 10) a page, paged with `next_token`. Like X, only the last
 * seven days by the emulator's clock: older posts are never found, and a `start_time` before then (or an
 * `end_time` less than ten seconds before the request) is an Invalid Request naming it.
 */
export const searchRecent: ApiHandler = ({ query }, { store, now }) => {
  const nowMs = now();
  const reader = new QueryReader(query, ['query', 'max_results', 'next_token', 'pagination_token', 'sort_order', ...RANGE_PARAMETERS, ...TWEET_SELECTION_PARAMETERS]);
  const text = reader.requiredString('query');
  const size = reader.integer('max_results', { min: 10, max: 100, fallback: 10 });
  // X takes either name for the token on this endpoint.
  const token = readPageToken(reader, reader.string('next_token') !== undefined ? 'next_token' : 'pagination_token');
  // Relevancy ordering is not modelled: both orders answer newest first.
  reader.subset('sort_order', ['recency', 'relevancy'] as const);
  const inRange = readTweetRange(reader);
  const oldestMs = nowMs - RECENT_SEARCH_WINDOW_MS;
  checkSearchWindow(reader, oldestMs, nowMs);
  const selection = readTweetSelection(reader);
  const search = readSearchQuery(reader, text);
  reader.assertValid();

  const tweets = store
    .tweetsNewestFirst()
    .filter((tweet) => Date.parse(tweet.createdAt) >= oldestMs && inRange(tweet) && matchesSearchQuery(search, tweet, store));
  return ok(timelineBody(tweets, { size, token, withPreviousToken: false }, selection, store));
};

function readSearchQuery(reader: QueryReader, text: string): SearchQuery {
  if (text === '') return [];
  if (text.length > MAX_QUERY_LENGTH) {
    reader.reject('query', text, `The \`query\` query parameter value [${text}] is not between 1 and ${MAX_QUERY_LENGTH} characters`);
    return [];
  }
  try {
    return parseSearchQuery(text);
  } catch (error) {
    if (!(error instanceof SearchQueryError)) throw error;
    reader.reject('query', text, error.message);
    return [];
  }
}

/** X's wording, e.g. "Invalid 'start_time':'2021-01-01T00:00Z'. 'start_time' must be on or after 2021-01-20T17:37Z". */
function checkSearchWindow(reader: QueryReader, oldestMs: number, nowMs: number): void {
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
  const start = reader.string('start_time');
  const startMs = start === undefined ? Number.NaN : Date.parse(start);
  if (start !== undefined && startMs < oldestMs) {
    reader.reject('start_time', start, `Invalid 'start_time':'${minute(startMs)}'. 'start_time' must be on or after ${minute(oldestMs)}`);
  }
  const end = reader.string('end_time');
  const endMs = end === undefined ? Number.NaN : Date.parse(end);
  if (end !== undefined && endMs > nowMs - END_TIME_MARGIN_MS) {
    reader.reject('end_time', end, `Invalid 'end_time':'${minute(endMs)}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`);
  }
}
