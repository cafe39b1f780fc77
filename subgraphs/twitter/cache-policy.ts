import type { CachePolicy } from '../../kit/cache/provider-cache.ts';

/**
 * Public X data read with the app's bearer token: `shared`. Profiles change slowly and their lookups are
 * the most limited (300 per 15 minutes): 15 minutes. Timelines change often: 1 minute, and a post or a
 * delete webhook evicts its author's timeline at once.
 */
export const twitterCachePolicy = {
  userByUsername: { ttlMs: 900_000, missingTtlMs: 60_000, scope: 'shared' },
  userById: { ttlMs: 900_000, missingTtlMs: 60_000, scope: 'shared' },
  tweet: { ttlMs: 300_000, missingTtlMs: 60_000, scope: 'shared' },
  timelinePage: { ttlMs: 60_000, scope: 'shared' },
  timelineGeneration: { ttlMs: 86_400_000, scope: 'shared' },
  search: { ttlMs: 60_000, scope: 'shared' },
} as const satisfies CachePolicy<string>;

export type TwitterCacheKind = keyof typeof twitterCachePolicy;
