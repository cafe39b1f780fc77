import type { CacheStore } from './cache-store.ts';
import type { Logger } from '../logger.ts';
import { createMemoryCacheStore } from './memory-cache-store.ts';
import { createRedisCacheStore } from './redis-cache-store.ts';

/** Redis when a URL is configured, memory otherwise. */
export async function createCacheStore({ redisUrl, keyPrefix, logger }: { redisUrl?: string | undefined; keyPrefix?: string; logger: Logger }): Promise<CacheStore> {
  return redisUrl ? createRedisCacheStore({ url: redisUrl, logger, ...(keyPrefix ? { keyPrefix } : {}) }) : createMemoryCacheStore();
}
