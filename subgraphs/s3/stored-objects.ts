import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { pageCursor, type ListPosition } from './cursor.ts';
import { isNotFound } from './errors.ts';
import type { ObjectHead, StoredObjectConnectionModel } from './models.ts';

/** S3 object operations, one SDK call each. Errors are the SDK's; resolvers map them. */

export interface ObjectRef {
  bucket: string;
  key: string;
}

export interface StoredObjectListInput {
  bucket: string;
  prefix?: string | undefined;
  delimiter?: string | undefined;
  first: number;
  after?: ListPosition | undefined;
}

export interface UploadUrlInput extends ObjectRef {
  contentType: string;
  contentLength: number;
  expiresIn: number;
}

export interface PresignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  headers: { name: string; value: string }[];
  expiresAt: Date;
}

/** HeadObject; null when the key does not exist. */
export async function retrieveHead(s3: S3Client, { bucket, key }: ObjectRef): Promise<ObjectHead | null> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      size: head.ContentLength ?? 0,
      contentType: head.ContentType ?? null,
      lastModified: head.LastModified?.toISOString() ?? null,
      etag: unquote(head.ETag),
      metadata: head.Metadata ?? {},
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export async function listStoredObjects(s3: S3Client, input: StoredObjectListInput): Promise<StoredObjectConnectionModel> {
  const page = await s3.send(
    new ListObjectsV2Command({
      Bucket: input.bucket,
      Prefix: input.prefix || undefined,
      Delimiter: input.delimiter || undefined,
      MaxKeys: input.first,
      ...(input.after && 'continuationToken' in input.after ? { ContinuationToken: input.after.continuationToken } : {}),
      ...(input.after && 'startAfter' in input.after ? { StartAfter: input.after.startAfter } : {}),
    }),
  );
  return {
    bucket: input.bucket,
    objects: (page.Contents ?? []).flatMap((item) =>
      item.Key === undefined
        ? []
        : [{ bucket: input.bucket, key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified?.toISOString() ?? null, etag: unquote(item.ETag) }],
    ),
    commonPrefixes: (page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
    nextCursor: page.IsTruncated && page.NextContinuationToken ? pageCursor(page.NextContinuationToken) : null,
    hasPreviousPage: input.after !== undefined,
  };
}

export async function deleteStoredObject(s3: S3Client, { bucket, key }: ObjectRef): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/**
 * A presigned PUT whose signature covers the content type and the exact length: S3 refuses any other
 * type or size with 403, so the size limit holds even though the bytes never pass through us.
 */
export async function createUploadUrl(s3: S3Client, input: UploadUrlInput, now = new Date()): Promise<PresignedRequest> {
  const command = new PutObjectCommand({ Bucket: input.bucket, Key: input.key, ContentType: input.contentType, ContentLength: input.contentLength });
  const url = await getSignedUrl(s3, command, {
    expiresIn: input.expiresIn,
    signingDate: now,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return {
    url,
    method: 'PUT',
    headers: [
      { name: 'Content-Type', value: input.contentType },
      { name: 'Content-Length', value: String(input.contentLength) },
    ],
    expiresAt: new Date(now.getTime() + input.expiresIn * 1000),
  };
}

export async function createDownloadUrl(s3: S3Client, { bucket, key }: ObjectRef, expiresIn: number): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}

function unquote(etag: string | undefined): string | null {
  return etag ? etag.replace(/^"|"$/g, '') : null;
}
