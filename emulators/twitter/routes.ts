import type { ApiHandler } from './api.ts';
import { searchRecent } from './resources/search.ts';
import { createTweet, deleteTweet, lookupTweets, tweetById, userTimeline } from './resources/tweets.ts';
import { authenticatedUser, lookupUsersByIds, lookupUsersByUsernames, userById, userByUsername } from './resources/users.ts';

/**
 * Every endpoint served, keyed by operation name: the method and the path with `:name` for path
 * parameters. Matching tries them in this order, so literal paths (`/2/users/me`) come before the
 * parameterised ones they would also fit (`/2/users/:id`).
 */
const ROUTES: ReadonlyArray<readonly [operation: string, handler: ApiHandler]> = [
  ['GET /2/users', lookupUsersByIds],
  ['GET /2/users/me', authenticatedUser],
  ['GET /2/users/by', lookupUsersByUsernames],
  ['GET /2/users/by/username/:username', userByUsername],
  ['GET /2/users/:id', userById],
  ['GET /2/users/:id/tweets', userTimeline],
  ['GET /2/tweets', lookupTweets],
  ['POST /2/tweets', createTweet],
  ['GET /2/tweets/search/recent', searchRecent],
  ['GET /2/tweets/:id', tweetById],
  ['DELETE /2/tweets/:id', deleteTweet],
];

export interface RouteMatch {
  /** E.g. `GET /2/users/:id/tweets`; unknown paths are named too, with numeric segments as `:id`. */
  operation: string;
  handler?: ApiHandler;
  /** Decoded path parameters by name. */
  params: Record<string, string>;
}

const COMPILED = ROUTES.map(([operation, handler]) => {
  const [method = '', path = ''] = operation.split(' ');
  return { operation, handler, method, segments: segmentsOf(path) };
});

export function matchRoute(method: string, path: string): RouteMatch {
  const segments = segmentsOf(path);
  for (const route of COMPILED) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = route.segments.every((pattern, index) => {
      const segment = segments[index] ?? '';
      if (!pattern.startsWith(':')) return pattern === segment;
      params[pattern.slice(1)] = decodeSegment(segment);
      return segment !== '';
    });
    if (fits) return { operation: route.operation, handler: route.handler, params };
  }
  // Ids out of unknown paths' names, so counts do not fragment by object.
  const normalised = segments.map((segment) => (/^\d+$/.test(segment) ? ':id' : segment));
  return { operation: `${method} /${normalised.join('/')}`, params: {} };
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
