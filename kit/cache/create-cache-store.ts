import type { CacheStore } from './cache-store.ts';
import type { Logger } from '../logger.ts';
import { createMemoryCacheStore } from './memory-cache-store.ts';

/** Redis when a URL is configured, memory otherwise. */
export async function createCacheStore({ redisUrl, keyPrefix, logger }: { redisUrl?: string | undefined; keyPrefix?: string; logger: Logger }): Promise<CacheStore> {
  if (!redisUrl) return createMemoryCacheStore();
  // Loaded only when used: the Redis client is a tenth of a second of every start-up that needs no Redis.
  const { createRedisCacheStore } = await import('./redis-cache-store.ts');
  return createRedisCacheStore({ url: redisUrl, logger, ...(keyPrefix ? { keyPrefix } : {}) });
}
