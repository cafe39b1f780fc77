import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config.ts';
import type { S3Context } from '../context.ts';
import { edgeCursor, positionAfter } from '../cursor.ts';
import type { Listings } from '../listings.ts';
import type { ObjectHead, StoredObjectConnectionModel, StoredObjectModel } from '../models.ts';
import { s3Call } from '../errors.ts';
import { createDownloadUrl } from '../stored-objects.ts';
import * as valid from '../validation.ts';
import { requireAccess, underPrefix } from '../../../kit/access/access.ts';
import { isAdmin, principalOf, type Caller } from '../../../kit/access/principal.ts';
import { pageSize } from '../../../kit/paging.ts';
import type { BucketResolvers, StoredObjectConnectionResolvers, StoredObjectResolvers } from '../__generated__/resolvers.ts';

export interface StoredObjectResolverDeps {
  s3: S3Client;
  settings: S3Settings;
  listings: Listings;
}

export interface ListArgs {
  prefix?: string | null;
  delimiter?: string | null;
  first?: number | null;
  after?: string | null;
}

export function listArgs(bucket: string, args: ListArgs) {
  return {
    bucket,
    prefix: args.prefix ?? undefined,
    delimiter: args.delimiter ?? undefined,
    first: pageSize(args.first),
    after: positionAfter(args.after),
  };
}

/** Subgraph-side ownership (behind the gateway's rules): keys under the caller's storage prefix only. */
export function requireOwnKey(caller: Caller, key: string | null | undefined): void {
  requireAccess(caller, (p) => underPrefix(p.storagePrefix, key));
}

/** The object's HeadObject answer: carried along when known, otherwise fetched through the loader. */
async function headOf(object: StoredObjectModel, context: S3Context): Promise<ObjectHead | null> {
  return object.head ?? context.loaders.head.load({ bucket: object.bucket, key: object.key });
}

export function createStoredObjectResolvers({ s3, settings, listings }: StoredObjectResolverDeps) {
  const StoredObject: StoredObjectResolvers<S3Context> = {
    async __resolveReference(reference, context) {
      const { bucket, key } = reference as { bucket: string; key: string };
      if (!settings.buckets.includes(bucket)) return null;
      // Someone else's file resolves to nothing, as if it did not exist.
      if (!isAdmin(context.caller) && !underPrefix(principalOf(context.caller)?.storagePrefix, key)) return null;
      const head = await context.loaders.head.load({ bucket, key });
      return head ? { bucket, key, head } : null;
    },
    bucket: (object) => object.bucket,
    key: (object) => object.key,
    size: async (object, _args, context) => object.size ?? (await headOf(object, context))?.size ?? null,
    lastModified: async (object, _args, context) =>
      object.lastModified !== undefined ? object.lastModified : ((await headOf(object, context))?.lastModified ?? null),
    etag: async (object, _args, context) => (object.etag !== undefined ? object.etag : ((await headOf(object, context))?.etag ?? null)),
    contentType: async (object, _args, context) => (await headOf(object, context))?.contentType ?? null,
    metadata: async (object, _args, context) =>
      Object.entries((await headOf(object, context))?.metadata ?? {}).map(([key, value]) => ({ key, value })),
    downloadUrl: (object, { expiresIn }, context) => {
      const seconds = valid.expirySeconds(expiresIn, settings.urlMaxExpiresSeconds);
      return s3Call(context.logger, () => createDownloadUrl(s3, object, seconds));
    },
  };

  const StoredObjectConnection: StoredObjectConnectionResolvers<S3Context, StoredObjectConnectionModel> = {
    edges: (page) => page.objects.map((node) => ({ cursor: edgeCursor(node.key), node })),
    nodes: (page) => page.objects,
    commonPrefixes: (page) => page.commonPrefixes,
    pageInfo: (page) => {
      const first = page.objects[0];
      const last = page.objects.at(-1);
      return {
        hasNextPage: page.nextCursor !== null,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: first ? edgeCursor(first.key) : null,
        endCursor: page.nextCursor ?? (last ? edgeCursor(last.key) : null),
      };
    },
  };

  const Bucket: BucketResolvers<S3Context> = {
    objects: (bucket, args, context) => {
      requireOwnKey(context.caller, args.prefix);
      const input = listArgs(bucket.name, args);
      return s3Call(context.logger, () => listings.list(input));
    },
  };

  return { StoredObject, StoredObjectConnection, Bucket };
}
