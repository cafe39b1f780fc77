import type { S3Context } from '../context.ts';
import { s3Call } from '../errors.ts';
import type { QueryResolvers } from '../__generated__/resolvers.ts';
import { requireBucket } from './require-bucket.ts';
import { viewerOf } from '../../../kit/access/viewer.ts';
import { listArgs, requireOwnKey, type StoredObjectResolverDeps } from './stored-objects.ts';
import * as valid from '../validation.ts';

export function createQueryResolvers({ settings, listings }: StoredObjectResolverDeps): QueryResolvers<S3Context> {
  return {
    viewer: (_root, _args, context) => viewerOf(context.caller),
    async buckets(_root, _args, context) {
      const found = await context.loaders.bucket.loadMany(settings.buckets);
      // A configured bucket that is gone is left out rather than failing the whole list.
      return found.flatMap((bucket) => (bucket && !(bucket instanceof Error) ? [bucket] : []));
    },
    bucket: (_root, { name }, context) => requireBucket(settings.buckets, name, context),
    async storedObject(_root, { bucket, key }, context) {
      valid.objectKey(key);
      requireOwnKey(context.caller, key);
      await requireBucket(settings.buckets, bucket, context);
      const head = await context.loaders.head.load({ bucket, key });
      return head ? { bucket, key, head } : null;
    },
    async storedObjects(_root, { bucket, ...args }, context) {
      requireOwnKey(context.caller, args.prefix);
      const input = listArgs(bucket, args);
      await requireBucket(settings.buckets, bucket, context);
      return s3Call(context.logger, () => listings.list(input));
    },
  };
}
