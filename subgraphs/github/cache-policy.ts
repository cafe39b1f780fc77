import type { CachePolicy } from '../../kit/cache/provider-cache.ts';

/**
 * Public GitHub data read with the gateway's token: `shared`. TTLs follow how fast it changes and how
 * precious the quota is (5000 points an hour): profiles and repositories 5 minutes, searches 1 minute.
 * Webhook events (star, push, issues, repository) evict what they change.
 */
export const githubCachePolicy = {
  user: { ttlMs: 300_000, missingTtlMs: 60_000, scope: 'shared' },
  repository: { ttlMs: 300_000, missingTtlMs: 60_000, scope: 'shared' },
  userRepositories: { ttlMs: 300_000, scope: 'shared' },
  search: { ttlMs: 60_000, scope: 'shared' },
} as const satisfies CachePolicy<string>;

export type GitHubCacheKind = keyof typeof githubCachePolicy;
