import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SEED_BUCKETS, seedObjects } from './fixtures/seed.ts';
import { s3ClientFor, type S3Target } from './client-for.ts';

export type SeedTarget = S3Target;

/** Parallel uploads: enough to seed quickly, few enough not to queue on s3rver's file store. */
const CONCURRENCY = 8;

/**
 * Creates the seed buckets and uploads the seed objects through the real S3 client, so seeding takes
 * the same path (signing, proxy, s3rver) as every later request.
 */
export async function uploadSeed(target: SeedTarget): Promise<void> {
  const client = s3ClientFor(target);
  try {
    for (const bucket of Object.values(SEED_BUCKETS)) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    const pending = [...seedObjects()];
    const worker = async (): Promise<void> => {
      for (let object = pending.shift(); object; object = pending.shift()) {
        await client.send(
          new PutObjectCommand({
            Bucket: object.bucket,
            Key: object.key,
            Body: object.body,
            ContentType: object.contentType,
            Metadata: { ...object.metadata },
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    client.destroy();
  }
}
