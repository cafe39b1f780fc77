import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { S3ErrorReply } from './s3-error.ts';

/**
 * `x-amz-content-sha256` checked against the body, as S3 does once the signature has passed: SigV4 signs
 * the header, not the bytes, so without this check a body changed after signing would be stored.
 *
 * - A hex SHA-256 (what the SDK sends for a body it can hash, the empty body's hash for GET, HEAD,
 *   DELETE): the body is read whole, hashed and compared; a mismatch is S3's 400 XAmzContentSHA256Mismatch
 *   and nothing reaches s3rver. The body is held in memory to be forwarded once it has passed, so an
 *   upload costs its size in memory for the time of the request (S3 too must see the whole body first).
 * - `UNSIGNED-PAYLOAD` (presigned URLs; the SDK over https when asked): nothing to check.
 * - `STREAMING-*` (aws-chunked bodies, each chunk signed or a trailing checksum): not checked, nor are
 *   the chunk signatures; the body goes to s3rver as received.
 * - Absent (anonymous, Signature V2) or any other value: not checked.
 */

const CONTENT_SHA256 = 'x-amz-content-sha256';
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The declared hex digest when the body must be checked against it, otherwise undefined. */
export function declaredContentSha256(headers: IncomingMessage['headers']): string | undefined {
  const value = headers[CONTENT_SHA256];
  return typeof value === 'string' && HEX_SHA256.test(value) ? value : undefined;
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `undefined` when the body hashes to the declared digest, otherwise the error S3 answers. */
export function checkContentSha256(declared: string, body: Buffer): S3ErrorReply | undefined {
  const computed = createHash('sha256').update(body).digest('hex');
  if (computed === declared.toLowerCase()) return undefined;
  return {
    status: 400,
    code: 'XAmzContentSHA256Mismatch',
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    details: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed },
  };
}
