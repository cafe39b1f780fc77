import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from './errors.ts';
import type { BucketModel } from './models.ts';

/** HeadBucket; null when the bucket does not exist. */
export async function retrieveBucket(s3: S3Client, name: string): Promise<BucketModel | null> {
  try {
    const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
    return { name, region: head.BucketRegion ?? null };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
