import type { S3Client } from '@aws-sdk/client-s3';
import { createGenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import type { S3CacheKind } from './cache-policy.ts';
import type { StoredObjectConnectionModel } from './models.ts';
import { listStoredObjects, type StoredObjectListInput } from './stored-objects.ts';

export interface Listings {
  list(input: StoredObjectListInput): Promise<StoredObjectConnectionModel>;
  /** After a write: every cached page of the bucket, whatever its prefix, is dropped. */
  invalidate(bucket: string): Promise<void>;
}

/** Listing pages cached per bucket generation (see kit/generational-lists.ts). */
export function createListings({ s3, cache }: { s3: S3Client; cache: ProviderCache<S3CacheKind> }): Listings {
  const lists = createGenerationalLists({ cache, pageKind: 'listing', generationKind: 'listingGeneration' });
  return {
    list: (input) =>
      lists.page(input.bucket, [input.prefix ?? '', input.delimiter ?? '', input.first, input.after ?? null], () => listStoredObjects(s3, input)),
    invalidate: (bucket) => lists.invalidate(bucket),
  };
}
