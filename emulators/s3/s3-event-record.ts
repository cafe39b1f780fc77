/**
 * What s3rver emits (`'event'`) on every object create and delete: `{ Records: [record] }`, shaped like
 * an S3 event notification but with the key as stored (not URL-encoded), a millisecond `sequencer` two
 * events can share, region us-east-1 and a malformed bucket ARN. (It emits nothing for DeleteObjects: see
 * delete-objects-events.ts.)
 */
export interface S3rverEvent {
  Records: S3rverRecord[];
}

export interface S3rverRecord {
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; sequencer?: string };
  } & Record<string, unknown>;
  [field: string]: unknown;
}

/** S3 URL-encodes keys in notifications the form way: `+` for a space, `/` kept. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/**
 * Sequencers as S3 writes them: upper-case hex that grows with every event on a key (here, with every
 * event of the emulator: a superset of that guarantee), so a consumer can order and de-duplicate them.
 */
export function createSequencer(start = BigInt(Date.now()) * 1_000_000n): () => string {
  let next = start;
  return () => (next++).toString(16).toUpperCase().padStart(18, '0');
}

/** s3rver's record as S3 itself writes it (eventVersion 2.1, encoded key, fresh sequencer, the emulator's region). */
export function toS3Record(record: S3rverRecord, { region, sequencer }: { region: string; sequencer: () => string }): Record<string, unknown> {
  const bucket = record.s3.bucket.name;
  return {
    ...record,
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    s3: {
      ...record.s3,
      configurationId: 'gateway-notifications',
      bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { ...record.s3.object, key: encodeNotificationKey(record.s3.object.key), sequencer: sequencer() },
    },
  };
}
