import { ErrorCode, gatewayError } from '../../../kit/errors.ts';
import type { S3Context } from '../context.ts';
import type { BucketModel } from '../models.ts';

/**
 * The bucket, or NOT_FOUND. Buckets outside the configured list are refused without a provider call,
 * with the same answer as a missing one, so callers cannot probe the account for bucket names.
 */
export async function requireBucket(allowed: readonly string[], name: string, context: S3Context): Promise<BucketModel> {
  const bucket = allowed.includes(name) ? await context.loaders.bucket.load(name) : null;
  if (!bucket) throw gatewayError(ErrorCode.NOT_FOUND, 'Bucket not found', { provider: 's3' });
  return bucket;
}
