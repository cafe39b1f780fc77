import type { S3Client } from '@aws-sdk/client-s3';
import type DataLoader from 'dataloader';
import { createCachedLoader } from '../../kit/cache/cached-loader.ts';
import { mapSettled } from '../../kit/map-settled.ts';
import type { Logger } from '../../kit/logger.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import { retrieveBucket } from './buckets.ts';
import type { S3CacheKind } from './cache-policy.ts';
import { toGraphQLError } from './errors.ts';
import type { BucketModel, ObjectHead } from './models.ts';
import { retrieveHead, type ObjectRef } from './stored-objects.ts';

export interface S3Loaders {
  /** HeadObject per distinct object of one operation, through the shared cache. */
  head: DataLoader<ObjectRef, ObjectHead | null, string>;
  bucket: DataLoader<string, BucketModel | null, string>;
}

/** S3 has no batch HeadObject: a batch becomes parallel calls, bounded so one query cannot flood it. */
const HEAD_CONCURRENCY = 16;

export function createS3Loaders({ s3, cache, logger }: { s3: S3Client; cache: ProviderCache<S3CacheKind>; logger: Logger }): S3Loaders {
  const mapped = <T>(call: () => Promise<T>) => call().catch((error: unknown) => Promise.reject(toGraphQLError(error, logger)));
  return {
    head: createCachedLoader({
      cache,
      cacheKey: ({ bucket, key }) => ({ kind: 'head', id: `${bucket}/${key}` }),
      keyId: ({ bucket, key }) => `${bucket}/${key}`,
      fetch: (refs) => mapSettled(refs, HEAD_CONCURRENCY, (ref) => mapped(() => retrieveHead(s3, ref))),
    }),
    bucket: createCachedLoader({
      cache,
      cacheKey: (name) => ({ kind: 'bucket', id: name }),
      keyId: (name) => name,
      fetch: (names) => mapSettled(names, HEAD_CONCURRENCY, (name) => mapped(() => retrieveBucket(s3, name))),
    }),
  };
}
