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

/** S3's `x-amz-request-id`: 16 uppercase hex digits. */
export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** S3's `x-amz-id-2` (its extended request id): an opaque base64 token. */
export function s3ExtendedRequestId(): string {
  return randomBytes(48).toString('base64');
}

export function sendS3Error(res: ServerResponse, error: S3ErrorReply, headers: Readonly<Record<string, string>> = {}): void {
  const requestId = s3RequestId();
  const body = s3ErrorXml(error, requestId);
  res.writeHead(error.status, {
    ...headers,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    'x-amz-id-2': s3ExtendedRequestId(),
  });
  // Node drops the body of a HEAD response by itself, as S3 does.
  res.end(body);
}
