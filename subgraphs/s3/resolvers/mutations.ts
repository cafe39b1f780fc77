import type { ProviderCache } from '../../../kit/cache/provider-cache.ts';
import type { S3CacheKind } from '../cache-policy.ts';
import type { S3Context } from '../context.ts';
import { s3Call } from '../errors.ts';
import { createUploadUrl, deleteStoredObject } from '../stored-objects.ts';
import * as valid from '../validation.ts';
import type { MutationResolvers } from '../__generated__/resolvers.ts';
import { requireBucket } from './require-bucket.ts';
import { requireOwnKey, type StoredObjectResolverDeps } from './stored-objects.ts';

export function createMutationResolvers({
  s3,
  settings,
  listings,
  cache,
}: StoredObjectResolverDeps & { cache: ProviderCache<S3CacheKind> }): MutationResolvers<S3Context> {
  /** What a write to `bucket/key` makes stale, here and on every replica sharing the cache. */
  const evict = (bucket: string, key: string) =>
    Promise.all([cache.delete([{ kind: 'head', id: `${bucket}/${key}` }]), listings.invalidate(bucket)]);

  return {
    async createUploadUrl(_root, { input }, context) {
      requireOwnKey(context.caller, input.key);
      const upload = {
        bucket: input.bucket,
        key: valid.objectKey(input.key),
        contentType: valid.contentType(input.contentType),
        contentLength: valid.contentLength(input.contentLength, settings.uploadMaxBytes),
        expiresIn: valid.expirySeconds(input.expiresIn, settings.urlMaxExpiresSeconds),
      };
      await requireBucket(settings.buckets, upload.bucket, context);
      const presigned = await s3Call(context.logger, () => createUploadUrl(s3, upload));
      // The upload happens later, straight to S3; drop what we know now (a remembered "missing", say).
      await evict(upload.bucket, upload.key);
      return { ...presigned, bucket: upload.bucket, key: upload.key };
    },
    async deleteObject(_root, { bucket, key }, context) {
      valid.objectKey(key);
      requireOwnKey(context.caller, key);
      await requireBucket(settings.buckets, bucket, context);
      await s3Call(context.logger, () => deleteStoredObject(s3, { bucket, key }));
      await evict(bucket, key);
      return { bucket, key, deleted: true };
    },
  };
}
