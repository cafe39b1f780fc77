import DataLoader from 'dataloader';
import type { TwitterApiReadOnly } from 'twitter-api-v2';
import { createCachedLoader } from '../../kit/cache/cached-loader.ts';
import type { GenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { Logger } from '../../kit/logger.ts';
import { mapSettled } from '../../kit/map-settled.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import type { CallGuard } from '../../kit/resilience/call-guard.ts';
import type { TwitterCacheKind } from './cache-policy.ts';
import type { TimelinePosition } from './cursor.ts';
import { toGraphQLError } from './errors.ts';
import type { TweetModel, TweetPageModel, TwitterUserModel } from './models.ts';
import { retrieveTimeline, retrieveTweets, TWEETS_PER_LOOKUP } from './tweets.ts';
import { retrieveUsersByIds, retrieveUsersByUsernames, USERS_PER_LOOKUP } from './users.ts';

export interface TimelineKey {
  userId: string;
  first: number;
  after?: TimelinePosition | undefined;
}

export interface TwitterLoaders {
  userByUsername: DataLoader<string, TwitterUserModel | null, string>;
  userById: DataLoader<string, TwitterUserModel | null, string>;
  tweet: DataLoader<string, TweetModel | null, string>;
  timeline: DataLoader<TimelineKey, TweetPageModel, string>;
}

/** Timelines have no batch endpoint: one call per user, at most this many at once per request. */
export const TIMELINE_CONCURRENCY = 8;

export function createTwitterLoaders({
  reader,
  guard,
  cache,
  timelines,
  logger,
}: {
  reader: TwitterApiReadOnly;
  guard: CallGuard;
  cache: ProviderCache<TwitterCacheKind>;
  timelines: GenerationalLists;
  logger: Logger;
}): TwitterLoaders {
  const batch = async <T>(size: number, call: () => Promise<T[]>): Promise<(T | Error)[]> => {
    try {
      return await call();
    } catch (error) {
      const mapped = toGraphQLError(error, logger);
      return Array.from({ length: size }, () => mapped);
    }
  };
  return {
    userByUsername: createCachedLoader<string, TwitterUserModel | null, TwitterCacheKind>({
      cache,
      cacheKey: (username) => ({ kind: 'userByUsername', id: username.toLowerCase() }),
      keyId: (username) => username.toLowerCase(),
      maxBatchSize: USERS_PER_LOOKUP,
      fetch: (usernames) => batch(usernames.length, () => retrieveUsersByUsernames(reader, guard, usernames)),
    }),
    userById: createCachedLoader<string, TwitterUserModel | null, TwitterCacheKind>({
      cache,
      cacheKey: (id) => ({ kind: 'userById', id }),
      keyId: (id) => id,
      maxBatchSize: USERS_PER_LOOKUP,
      fetch: (ids) => batch(ids.length, () => retrieveUsersByIds(reader, guard, ids)),
    }),
    tweet: createCachedLoader<string, TweetModel | null, TwitterCacheKind>({
      cache,
      cacheKey: (id) => ({ kind: 'tweet', id }),
      keyId: (id) => id,
      maxBatchSize: TWEETS_PER_LOOKUP,
      fetch: (ids) => batch(ids.length, () => retrieveTweets(reader, guard, ids)),
    }),
    timeline: new DataLoader<TimelineKey, TweetPageModel, string>(
      (keys) =>
        mapSettled(keys, TIMELINE_CONCURRENCY, (key) =>
          timelines
            .page(key.userId, [key.first, key.after ?? null], () => retrieveTimeline(reader, guard, key))
            .catch((error: unknown) => Promise.reject(toGraphQLError(error, logger))),
        ),
      { cacheKeyFn: (key) => JSON.stringify([key.userId, key.first, key.after ?? null]) },
    ),
  };
}
