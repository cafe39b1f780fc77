import { createHash } from 'node:crypto';
import type { DomainEvent } from '../../kit/events/event-bus.ts';

/** One record of an S3 event notification, as far as this subgraph reads it. */
export interface S3EventRecord {
  eventSource?: string;
  /** `ObjectCreated:Put`, `ObjectRemoved:Delete`, `LifecycleExpiration:Delete`, … */
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    /** `key` is URL-encoded, with `+` for a space. */
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

/** What an SNS notification from S3 carries. */
export type S3NotificationContent =
  | { kind: 'records'; records: S3EventRecord[] }
  /** Sent once when a bucket's notification configuration is saved; nothing happened to any object. */
  | { kind: 'test' }
  /** Not an S3 event at all (something else published to the topic). */
  | { kind: 'other' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isRecord(value: unknown): value is S3EventRecord {
  if (!isObject(value) || typeof value['eventName'] !== 'string' || typeof value['eventTime'] !== 'string') return false;
  const s3 = value['s3'];
  if (!isObject(s3) || !isObject(s3['bucket']) || !isObject(s3['object'])) return false;
  return typeof s3['bucket']['name'] === 'string' && typeof s3['object']['key'] === 'string';
}

/** The SNS Message of an S3 notification: its records (malformed ones dropped), the test event, or other. */
export function parseS3Notification(message: string): S3NotificationContent {
  let content: unknown;
  try {
    content = JSON.parse(message);
  } catch {
    return { kind: 'other' };
  }
  if (!isObject(content)) return { kind: 'other' };
  if (content['Event'] === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(content['Records'])) return { kind: 'other' };
  return { kind: 'records', records: content['Records'].filter(isRecord).filter((record) => (record.eventSource ?? 'aws:s3') === 'aws:s3') };
}

/** S3 URL-encodes keys in notifications the form way (`+` for a space); undefined when malformed. */
export function decodeS3Key(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** `object.created` / `object.removed`, or null for events nobody consumes (restore, tagging, ACL, …). */
export function storageEventType(eventName: string): string | null {
  if (eventName.startsWith('ObjectCreated:')) return 'object.created';
  if (eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:')) return 'object.removed';
  return null;
}

/**
 * The domain event id of a record. S3 gives each event on a key a `sequencer` that grows with every
 * change of that key, so bucket + key + event name + sequencer names the change itself: the id is the
 * same when SNS redelivers the message and when S3 publishes the same event twice (S3 is at-least-once
 * too, and a second publication comes with a new MessageId). Hashed, because keys run to 1 KiB.
 * Without a sequencer (some S3-compatible servers), `<MessageId>:<record index>`, stable across SNS
 * redeliveries only.
 */
export function storageEventId(record: S3EventRecord, messageId: string, index: number): string {
  const { bucket, object } = record.s3;
  if (!object.sequencer) return `${messageId}:${index}`;
  const digest = createHash('sha256')
    .update([bucket.name, object.key, record.eventName, object.sequencer].join('\n'))
    .digest('hex');
  return `s3:${digest.slice(0, 32)}`;
}

/** The record as a domain event (published on STORAGE_TOPIC, object-events.ts), or null for event names nobody consumes. */
export function toDomainEvent(record: S3EventRecord, key: string, id: string, fallbackTime: string): DomainEvent | null {
  const type = storageEventType(record.eventName);
  if (!type) return null;
  const time = Date.parse(record.eventTime);
  const size = record.s3.object.size;
  return {
    id,
    provider: 's3',
    type,
    occurredAt: new Date(Number.isNaN(time) ? Date.parse(fallbackTime) : time).toISOString(),
    keys: {
      bucket: record.s3.bucket.name,
      key,
      ...(typeof size === 'number' && type === 'object.created' ? { size: String(size) } : {}),
    },
  };
}
