import type DataLoader from 'dataloader';
import { createCachedLoader } from '../../kit/cache/cached-loader.ts';
import type { Logger } from '../../kit/logger.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import type { GitHubCacheKind } from './cache-policy.ts';
import type { GitHubGraphQL } from './client.ts';
import { toGraphQLError } from './errors.ts';
import type { GitHubRepositoryModel, GitHubUserModel } from './models.ts';
import { retrieveRepositories } from './repositories.ts';
import { retrieveUsers } from './users.ts';

export interface GitHubLoaders {
  user: DataLoader<string, GitHubUserModel | null, string>;
  repository: DataLoader<string, GitHubRepositoryModel | null, string>;
}

/**
 * How many users or repositories one GitHub request asks for. GitHub bounds a query by nodes (500,000)
 * and points; 50 users with their 20 top repositories and topics stay far inside both.
 */
export const GITHUB_BATCH_SIZE = 50;

/** Logins are case-insensitive on GitHub: one entry per user, however a caller spells it. */
const loginKey = (login: string) => login.toLowerCase();

export function createGitHubLoaders({
  client,
  quota,
  cache,
  logger,
}: {
  client: GitHubGraphQL;
  quota: QuotaTracker;
  cache: ProviderCache<GitHubCacheKind>;
  logger: Logger;
}): GitHubLoaders {
  const mappedBatch = async <T>(call: () => Promise<(T | null | Error)[]>, size: number) => {
    try {
      return (await call()).map((value) => (value instanceof Error ? toGraphQLError(value, logger) : value));
    } catch (error) {
      const mapped = toGraphQLError(error, logger);
      return Array.from({ length: size }, () => mapped);
    }
  };
  return {
    user: createCachedLoader<string, GitHubUserModel | null, GitHubCacheKind>({
      cache,
      cacheKey: (login) => ({ kind: 'user', id: loginKey(login) }),
      keyId: loginKey,
      maxBatchSize: GITHUB_BATCH_SIZE,
      fetch: (logins) => mappedBatch(() => retrieveUsers(client, quota, logins), logins.length),
    }),
    repository: createCachedLoader<string, GitHubRepositoryModel | null, GitHubCacheKind>({
      cache,
      cacheKey: (nameWithOwner) => ({ kind: 'repository', id: nameWithOwner.toLowerCase() }),
      keyId: (nameWithOwner) => nameWithOwner.toLowerCase(),
      maxBatchSize: GITHUB_BATCH_SIZE,
      fetch: (names) => mappedBatch(() => retrieveRepositories(client, quota, names, { publicOnly: true }), names.length),
    }),
  };
}
