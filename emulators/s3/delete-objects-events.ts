import { splitRawUrl } from './raw-url.ts';
import type { S3rverRecord } from './s3-event-record.ts';
import { unescapeXml } from './xml-text.ts';

/**
 * s3rver raises no event for DeleteObjects (the multi-object delete `aws s3 rm --recursive` uses), so the
 * proxy reads the keys out of its `<DeleteResult>` and makes the records S3 would send, one per key.
 * (A `Quiet` request's result lists no keys, and so raises no events here, unlike S3.)
 */
export function deleteObjectsRecords(requestTarget: string, resultXml: string, now = new Date()): S3rverRecord[] {
  const bucket = decodeURIComponent(splitRawUrl(requestTarget).path.split('/')[1] ?? '');
  const keys = [...resultXml.matchAll(/<Deleted>\s*<Key>([^<]*)<\/Key>/g)].map((match) => unescapeXml(match[1]!));
  return keys.map((key) => ({ eventName: 'ObjectRemoved:Delete', eventTime: now.toISOString(), s3: { bucket: { name: bucket }, object: { key } } }));
}
