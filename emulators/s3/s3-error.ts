import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeXml } from './xml-text.ts';

/** An error answered the way S3 answers it: a status and an `<Error>` XML document. */
export interface S3ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Extra elements S3 adds after `<Message>` (e.g. `AWSAccessKeyId`, `Expires`, `ServerTime`). */
  readonly details?: Readonly<Record<string, string>>;
}

export function s3ErrorXml(error: S3ErrorReply, requestId: string): string {
  const details = Object.entries(error.details ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `${details}<RequestId>${requestId}</RequestId></Error>`
  );
}

export function sendS3Error(res: ServerResponse, error: S3ErrorReply): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body = s3ErrorXml(error, requestId);
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  // Node drops the body of a HEAD response by itself, as S3 does.
  res.end(body);
}
