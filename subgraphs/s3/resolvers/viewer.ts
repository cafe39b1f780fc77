import { principalOf } from '../../../kit/access/principal.ts';
import { resolveViewer } from '../../../kit/access/viewer.ts';
import type { S3Context } from '../context.ts';
import { s3Call } from '../errors.ts';
import type { ViewerResolvers } from '../__generated__/resolvers.ts';
import { listArgs, type StoredObjectResolverDeps } from './stored-objects.ts';

/** The caller's files: their storage prefix (from the signed principal, never an argument) in the files bucket. */
export function createViewerResolvers({ settings, listings }: StoredObjectResolverDeps): ViewerResolvers<S3Context> {
  return {
    __resolveReference: (reference, context) => resolveViewer(reference, context.caller),
    files: (_viewer, args, context) => {
      const prefix = principalOf(context.caller)?.storagePrefix;
      const bucket = settings.filesBucket;
      if (!prefix || !bucket) return { bucket: bucket ?? '', objects: [], commonPrefixes: [], nextCursor: null, hasPreviousPage: false };
      return s3Call(context.logger, () => listings.list(listArgs(bucket, { ...args, prefix })));
    },
  };
}
