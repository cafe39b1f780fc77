import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProviderCache } from '../kit/provider-cache.ts';
import type { S3CacheKind } from './cache-policy.ts';
import type { StoredObjectConnectionModel } from './models.ts';
import { listStoredObjects, type StoredObjectListInput } from './stored-objects.ts';

export interface Listings {
  list(input: StoredObjectListInput): Promise<StoredObjectConnectionModel>;
  /** After a write: every cached page of the bucket is dropped at once. */
  invalidate(bucket: string): Promise<void>;
}

/**
 * Cached listing pages. Each page's key includes the bucket's current generation, a random token that a
 * write replaces, so a delete or upload evicts every prefix and page of the bucket with one cache write,
 * on every replica sharing the cache.
 */
export function createListings({ s3, cache }: { s3: S3Client; cache: ProviderCache<S3CacheKind> }): Listings {
  const generationOf = async (bucket: string) =>
    (await cache.get<string>({ kind: 'listingGeneration', id: bucket }))?.value ?? 'initial';
  return {
    async list(input) {
      const generation = await generationOf(input.bucket);
      const id = `${input.bucket}:${generation}:${JSON.stringify([input.prefix ?? '', input.delimiter ?? '', input.first, input.after ?? null])}`;
      const cached = await cache.get<StoredObjectConnectionModel>({ kind: 'listing', id });
      if (cached) return cached.value;
      const page = await listStoredObjects(s3, input);
      await cache.set({ kind: 'listing', id }, page);
      return page;
    },
    async invalidate(bucket) {
      await cache.set({ kind: 'listingGeneration', id: bucket }, randomUUID());
    },
  };
}
