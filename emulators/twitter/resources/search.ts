import { ok, type ApiHandler } from '../api.ts';
import { QueryReader } from '../query-params.ts';
import { matchesSearchQuery, parseSearchQuery, SearchQueryError, type SearchQuery } from '../search-query.ts';
import { readTweetSelection, TWEET_SELECTION_PARAMETERS } from '../selection.ts';
import { RANGE_PARAMETERS, readPageToken, readTweetRange, timelineBody } from '../timeline.ts';

/** X caps a recent-search query at 512 characters (Basic and Pro access). */
const MAX_QUERY_LENGTH = 512;

/**
 * GET /2/tweets/search/recent: tweets matching `query` (see search-query.ts for the syntax understood),
 * newest first, `max_results` (10–100, default 10) a page, paged with `next_token`. X searches only the
 * last seven days; the emulator searches everything, because the seed's dates are fixed.
 */
export const searchRecent: ApiHandler = ({ query }, { store }) => {
  const reader = new QueryReader(query, ['query', 'max_results', 'next_token', 'pagination_token', 'sort_order', ...RANGE_PARAMETERS, ...TWEET_SELECTION_PARAMETERS]);
  const text = reader.requiredString('query');
  const size = reader.integer('max_results', { min: 10, max: 100, fallback: 10 });
  // X takes either name for the token on this endpoint.
  const token = readPageToken(reader, reader.string('next_token') !== undefined ? 'next_token' : 'pagination_token');
  // Relevancy ordering is not modelled: both orders answer newest first.
  reader.subset('sort_order', ['recency', 'relevancy'] as const);
  const inRange = readTweetRange(reader);
  const selection = readTweetSelection(reader);
  const search = readSearchQuery(reader, text);
  reader.assertValid();

  const tweets = store.tweetsNewestFirst().filter((tweet) => inRange(tweet) && matchesSearchQuery(search, tweet, store));
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
