import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { probe, type HealthReport } from '../../kit/health.ts';

/** Reachable and authorised: one uncached HeadBucket on the first configured bucket. */
export function checkS3Health(s3: S3Client, buckets: readonly string[]): Promise<HealthReport> {
  const [first] = buckets;
  if (!first) return Promise.resolve({ ok: false, detail: 'no bucket configured' });
  return probe(() => s3.send(new HeadBucketCommand({ Bucket: first })));
}
