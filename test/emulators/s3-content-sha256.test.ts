import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FinalizeRequestMiddleware, HttpRequest } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../emulators/s3/node-sha256.ts';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { s3ClientFor } from '../../emulators/s3/client-for.ts';

const BUCKET = 'hashed-uploads';
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const clientFor = (emulator: S3Emulator): S3Client => s3ClientFor(emulator, { maxAttempts: 1 });

/** Runs on the request the SDK has just signed, before it is sent. */
function afterSigning(client: S3Client, name: string, change: (request: HttpRequest) => void): void {
  const middleware: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    change(args.request as HttpRequest);
    return next(args);
  };
  client.middlewareStack.addRelativeTo(middleware, { name, relation: 'after', toMiddleware: 'httpSigningMiddleware' });
}

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error as S3ServiceException & Record<string, unknown>;
    throw error;
  }
  throw new Error('expected the S3 call to fail');
}

/** A PUT signed with the SDK's own signer, declaring `declaredSha256` and sending `body`. */
async function rawSignedPut(emulator: S3Emulator, key: string, declaredSha256: string, body: Buffer): Promise<{ status: number; body: string }> {
  const { hostname, port, host } = new URL(emulator.url);
  const signer = new SignatureV4({
    service: 's3',
    region: emulator.region,
    credentials: emulator.credentials,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: 'PUT',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: `/${BUCKET}/${key}`,
    query: {},
    headers: { host, 'content-length': String(body.byteLength), 'x-amz-content-sha256': declaredSha256 },
  });
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port: Number(port), method: 'PUT', path: signed.path, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('S3 emulator: the body must hash to x-amz-content-sha256', () => {
  let emulator: S3Emulator;
  const clients: S3Client[] = [];
  const client = () => clients[0]!;

  beforeAll(async () => {
    emulator = await startS3Emulator({ seed: false });
    clients.push(clientFor(emulator));
    await client().send(new CreateBucketCommand({ Bucket: BUCKET }));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await emulator?.close();
  });

  const exists = async (key: string) => {
    try {
      await client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  };

  it('stores a PutObject whose body hashes to the digest the SDK signed', async () => {
    const recording = clientFor(emulator);
    clients.push(recording);
    const declared: string[] = [];
    afterSigning(recording, 'recordContentSha256', (request) => declared.push(String(request.headers['x-amz-content-sha256'])));

    await recording.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes/ok.txt', Body: 'quarterly numbers', ContentType: 'text/plain' }));

    expect(declared).toEqual([sha256Hex('quarterly numbers')]); // a digest, so the emulator did check it
    const object = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'notes/ok.txt' }));
    expect(await object.Body!.transformToString()).toBe('quarterly numbers');
  });

  it('refuses a body changed after the SDK signed it: 400 XAmzContentSHA256Mismatch, nothing stored', async () => {
    const tampering = clientFor(emulator);
    clients.push(tampering);
    // Same length, other bytes: the signature (over the declared digest) still matches; the body does not.
    afterSigning(tampering, 'changeBodyAfterSigning', (request) => {
      request.body = 'QUARTERLY NUMBERS';
    });
    emulator.requests.reset();

    const error = await errorOf(tampering.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes/tampered.txt', Body: 'quarterly numbers' })));

    expect(error.name).toBe('XAmzContentSHA256Mismatch');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe("The provided 'x-amz-content-sha256' header does not match what was computed.");
    expect(error['ClientComputedContentSHA256']).toBe(sha256Hex('quarterly numbers'));
    expect(error['S3ComputedContentSHA256']).toBe(sha256Hex('QUARTERLY NUMBERS'));
    expect(emulator.requests.count('PutObject')).toBe(1);
    expect(await exists('notes/tampered.txt')).toBe(false);
  });

  it("answers a mismatch with S3's XML error body, naming both digests, to a request signed with @smithy/signature-v4", async () => {
    const declared = sha256Hex('what was signed');
    const sent = Buffer.from('what was sent!!');

    const response = await rawSignedPut(emulator, 'raw/tampered.bin', declared, sent);

    expect(response.status).toBe(400);
    // An apostrophe may be sent as a character reference; XML reads both the same.
    expect(response.body.replace(/&#39;|&apos;/g, "'")).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="UTF-8"\\?><Error><Code>XAmzContentSHA256Mismatch</Code>' +
          "<Message>The provided 'x-amz-content-sha256' header does not match what was computed.</Message>" +
          `<ClientComputedContentSHA256>${declared}</ClientComputedContentSHA256>` +
          `<S3ComputedContentSHA256>${sha256Hex(sent)}</S3ComputedContentSHA256>` +
          '<RequestId>[0-9A-F]{16}</RequestId></Error>$',
      ),
    );
    expect(await exists('raw/tampered.bin')).toBe(false);

    // The same request with a digest of what is sent goes through: the refusal was the hash, not the signature.
    expect((await rawSignedPut(emulator, 'raw/honest.bin', sha256Hex(sent), sent)).status).toBe(200);
    expect(await exists('raw/honest.bin')).toBe(true);
  });

  it('does not check a body declared UNSIGNED-PAYLOAD', async () => {
    const response = await rawSignedPut(emulator, 'raw/unsigned.bin', 'UNSIGNED-PAYLOAD', Buffer.from('any bytes at all'));
    expect(response.status).toBe(200);
    const object = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'raw/unsigned.bin' }));
    expect(await object.Body!.transformToString()).toBe('any bytes at all');
  });
});
