import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyS3Operation } from '../../emulators/s3/classify-operation.ts';
import { SEED_BUCKETS, seedObject, seededKeys } from '../../emulators/s3/fixtures/seed.ts';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { s3ClientFor } from '../../emulators/s3/client-for.ts';

type Credentials = S3Emulator['credentials'];

function clientFor(emulator: S3Emulator, credentials: Credentials = emulator.credentials): S3Client {
  return s3ClientFor({ ...emulator, credentials }, { maxAttempts: 1 }); // a refusal must show as one request, not three
}

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the S3 call to fail');
}

async function bodyBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('S3 emulator', () => {
  let emulator: S3Emulator;
  let client: S3Client;
  const clients: S3Client[] = [];
  const extraEmulators: S3Emulator[] = [];

  beforeAll(async () => {
    emulator = await startS3Emulator();
    client = clientFor(emulator);
    clients.push(client);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([emulator?.close(), ...extraEmulators.map((e) => e.close())]);
  });

  beforeEach(() => {
    emulator.requests.reset();
  });

  it('starts on a free loopback port with the default region and credentials, without counting the seeding', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.url).not.toMatch(/:0$/);
    expect(emulator.region).toBe('us-east-1');
    expect(emulator.credentials).toEqual({ accessKeyId: 'emulator', secretAccessKey: 'emulator-secret' });
    expect(emulator.requests.count()).toBe(0);
  });

  describe('seed data', () => {
    it('lists the seed buckets', async () => {
      const { Buckets } = await client.send(new ListBucketsCommand({}));
      expect(Buckets?.map((bucket) => bucket.Name).sort()).toEqual([SEED_BUCKETS.assets, SEED_BUCKETS.customerFiles]);
    });

    it('pages through more than 30 images ten keys at a time', async () => {
      const expected = seededKeys(SEED_BUCKETS.assets, 'images/');
      expect(expected.length).toBeGreaterThanOrEqual(30);

      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: SEED_BUCKETS.assets, Prefix: 'images/', MaxKeys: 10, ContinuationToken: token }),
        );
        pages.push((page.Contents ?? []).map((object) => object.Key ?? ''));
        expect(page.KeyCount).toBe(pages.at(-1)!.length);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
        if (page.IsTruncated) expect(token).toBeTruthy();
      } while (token);

      expect(pages.map((page) => page.length)).toEqual([10, 10, 10, expected.length - 30]);
      expect(pages.flat()).toEqual(expected);
      expect(emulator.requests.count('ListObjectsV2')).toBe(pages.length);
    });

    it('refuses a continuation token it did not issue', async () => {
      const error = await errorOf(client.send(new ListObjectsV2Command({ Bucket: SEED_BUCKETS.assets, ContinuationToken: 'bm90LW91cnM' })));
      expect(error.name).toBe('InvalidArgument');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('groups customer files by customer prefix', async () => {
      const listing = await client.send(
        new ListObjectsV2Command({ Bucket: SEED_BUCKETS.customerFiles, Prefix: 'customers/', Delimiter: '/' }),
      );
      const prefixes = (listing.CommonPrefixes ?? []).map((prefix) => prefix.Prefix);
      const expected = [...new Set(seededKeys(SEED_BUCKETS.customerFiles).map((key) => key.split('/').slice(0, 2).join('/') + '/'))];
      expect(prefixes).toEqual(expected);
      expect(prefixes.length).toBeGreaterThanOrEqual(seedCustomers.length / 2);
      for (const prefix of prefixes) {
        expect(seedCustomers.some((customer) => prefix === `customers/${customer.id}/`)).toBe(true);
      }
    });

    it('pages customer prefixes like S3: keys and common prefixes count toward MaxKeys, each prefix once', async () => {
      const expected = [...new Set(seededKeys(SEED_BUCKETS.customerFiles).map((key) => key.split('/').slice(0, 2).join('/') + '/'))];
      expect(expected.length).toBeGreaterThan(3);
      const seen: string[] = [];
      const pages: { entries: number; truncated: boolean }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: SEED_BUCKETS.customerFiles, Prefix: 'customers/', Delimiter: '/', MaxKeys: 3, ContinuationToken: token }),
        );
        const entries = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
        expect(page.KeyCount).toBe(entries);
        seen.push(...(page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix!));
        pages.push({ entries, truncated: page.IsTruncated === true });
        token = page.NextContinuationToken;
        expect(pages.length).toBeLessThanOrEqual(expected.length);
      } while (token !== undefined);

      expect(seen).toEqual(expected); // every prefix exactly once, in order
      expect(pages.every((page) => page.entries <= 3)).toBe(true);
      expect(pages.slice(0, -1).every((page) => page.truncated && page.entries === 3)).toBe(true);
      expect(pages.at(-1)?.truncated).toBe(false);
      expect(pages).toHaveLength(Math.ceil(expected.length / 3));
    });

    it('never repeats a common prefix when paging one entry at a time', async () => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: SEED_BUCKETS.assets, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
        names.push(...(page.Contents ?? []).map((object) => object.Key!), ...(page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix!));
        token = page.NextContinuationToken;
        expect(names.length).toBeLessThanOrEqual(seededKeys(SEED_BUCKETS.assets).length);
      } while (token !== undefined);
      const expected = [...new Set(seededKeys(SEED_BUCKETS.assets).map((key) => (key.includes('/') ? `${key.split('/')[0]}/` : key)))].sort();
      expect(names).toEqual(expected);
    });

    it('returns the seeded content type and user metadata on HeadObject, and the exact bytes on GetObject', async () => {
      const logo = seedObject(SEED_BUCKETS.assets, 'images/logo.png');
      const head = await client.send(new HeadObjectCommand({ Bucket: logo.bucket, Key: logo.key }));
      expect(head.ContentType).toBe('image/png');
      expect(head.ContentLength).toBe(logo.body.byteLength);
      expect(head.Metadata).toEqual(logo.metadata);
      expect(head.Metadata?.['uploaded-by']).toBe('site-deploy');

      const bytes = await bodyBytes(client, logo.bucket, logo.key);
      expect(bytes.equals(Buffer.from(logo.body))).toBe(true);
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

      const [invoiceKey] = seededKeys(SEED_BUCKETS.customerFiles, `customers/${seedCustomers[0]!.id}/invoices/`);
      const invoice = seedObject(SEED_BUCKETS.customerFiles, invoiceKey!);
      const invoiceHead = await client.send(new HeadObjectCommand({ Bucket: invoice.bucket, Key: invoice.key }));
      expect(invoiceHead.ContentType).toBe('application/pdf');
      expect(invoiceHead.Metadata).toEqual(invoice.metadata);
      expect(invoiceHead.Metadata?.['uploaded-by']).toBe('billing-service');
      const pdf = await bodyBytes(client, invoice.bucket, invoice.key);
      expect(pdf.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
    });
  });

  describe('request counter', () => {
    it('counts HeadObject calls exactly', async () => {
      const keys = seededKeys(SEED_BUCKETS.assets, 'css/');
      for (const key of keys) {
        await client.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: key }));
      }
      await client.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: keys[0]! }));

      expect(emulator.requests.count('HeadObject')).toBe(keys.length + 1);
      expect(emulator.requests.count()).toBe(keys.length + 1);
      expect(emulator.requests.byOperation()).toEqual({ HeadObject: keys.length + 1 });
      expect(emulator.requests.count('GetObject')).toBe(0);

      emulator.requests.reset();
      expect(emulator.requests.count()).toBe(0);
    });

    it('serves the counts over HTTP and resets them on DELETE', async () => {
      await client.send(new GetObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'robots.txt' }));
      await client.send(new ListObjectsV2Command({ Bucket: SEED_BUCKETS.assets, MaxKeys: 5 }));
      await client.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'robots.txt' }));

      const counts = await fetch(`${emulator.url}/_emulator/requests`);
      expect(counts.status).toBe(200);
      expect(counts.headers.get('content-type')).toBe('application/json');
      expect(await counts.json()).toEqual({ GetObject: 1, ListObjectsV2: 1, HeadObject: 1 });

      const reset = await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
      expect(reset.status).toBe(204);
      expect(emulator.requests.count()).toBe(0);
      expect(await (await fetch(`${emulator.url}/_emulator/requests`)).json()).toEqual({});
    });
  });

  it('refuses requests without credentials (403 AccessDenied, as S3 for a private bucket), reads, writes and listings alike', async () => {
    const bucketUrl = `${emulator.url}/${SEED_BUCKETS.customerFiles}`;
    const key = seededKeys(SEED_BUCKETS.customerFiles)[0]!;
    const attempts = [
      fetch(`${bucketUrl}?list-type=2`),
      fetch(`${bucketUrl}/${key}`),
      fetch(`${bucketUrl}/customers/anonymous.txt`, { method: 'PUT', body: 'hi' }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain('<Code>AccessDenied</Code>');
    }
    // The same through the SDK with a signer that signs nothing (an anonymous client, as S3 sees one).
    const anonymous = s3ClientFor(emulator, { maxAttempts: 1, signer: { sign: async (request) => request } });
    clients.push(anonymous);
    const refusals = [
      anonymous.send(new ListObjectsV2Command({ Bucket: SEED_BUCKETS.customerFiles })),
      anonymous.send(new PutObjectCommand({ Bucket: SEED_BUCKETS.customerFiles, Key: 'customers/anonymous.txt', Body: 'hi' })),
    ];
    for (const refusal of refusals) expect(await errorOf(refusal)).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    // Nothing was written: the SDK, with credentials, finds no such object.
    await expect(client.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.customerFiles, Key: 'customers/anonymous.txt' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  describe('presigned URLs', () => {
    const bucket = SEED_BUCKETS.customerFiles;
    const key = `customers/${seedCustomers[1]!.id}/uploads/signed contract+v2.txt`;
    const body = Buffer.from('Signed by both parties on 2025-06-01.\n', 'utf8');
    let putUrl: string;

    beforeAll(async () => {
      putUrl = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'text/plain', ContentLength: body.byteLength }),
        // The presigner never signs content-type unless told to; content-length is signed when present.
        { expiresIn: 60, signableHeaders: new Set(['content-type', 'content-length']) },
      );
    });

    it('signs content-type, content-length and host', () => {
      const signedHeaders = new URL(putUrl).searchParams.get('X-Amz-SignedHeaders')?.split(';');
      expect(signedHeaders).toEqual(['content-length', 'content-type', 'host']);
    });

    it('refuses a PUT with another content type', async () => {
      const response = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/xml');
      const xml = await response.text();
      expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Error><Code>SignatureDoesNotMatch<\/Code><Message>[^<]+<\/Message>/);
      expect(xml).toMatch(/<RequestId>[0-9A-F]+<\/RequestId><\/Error>$/);
    });

    it('refuses a PUT with a larger body', async () => {
      const larger = Buffer.concat([body, Buffer.from('And one more line.\n')]);
      const response = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: larger });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('accepts a PUT with exactly the signed type and length, and stores the bytes as sent', async () => {
      const response = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body });
      expect(response.status).toBe(200);
      await response.arrayBuffer();

      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(head.ContentType).toBe('text/plain');
      expect(head.ContentLength).toBe(body.byteLength);
      const stored = await bodyBytes(client, bucket, key);
      expect(stored.equals(body)).toBe(true); // no aws-chunked framing
      expect(stored.toString('utf8')).not.toContain('chunk-signature');
    });

    it('serves a presigned GET, and refuses it once expired or tampered with', async () => {
      const logo = seedObject(SEED_BUCKETS.assets, 'images/logo.png');
      const command = new GetObjectCommand({ Bucket: logo.bucket, Key: logo.key });

      const ok = await fetch(await getSignedUrl(client, command, { expiresIn: 60 }));
      expect(ok.status).toBe(200);
      expect(Buffer.from(await ok.arrayBuffer()).equals(Buffer.from(logo.body))).toBe(true);

      const expiredUrl = await getSignedUrl(client, command, { expiresIn: 1, signingDate: new Date(Date.now() - 120_000) });
      const expired = await fetch(expiredUrl);
      expect(expired.status).toBe(403);
      const expiredXml = await expired.text();
      expect(expiredXml).toContain('<Code>AccessDenied</Code>');
      expect(expiredXml).toContain('<Message>Request has expired</Message>');

      const url = new URL(await getSignedUrl(client, command, { expiresIn: 60 }));
      const signature = url.searchParams.get('X-Amz-Signature')!;
      url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
      const tampered = await fetch(url);
      expect(tampered.status).toBe(403);
      expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('refuses a URL presigned with an unknown access key', async () => {
      const stranger = clientFor(emulator, { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'whatever' });
      clients.push(stranger);
      const url = await getSignedUrl(stranger, new GetObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'robots.txt' }), { expiresIn: 60 });
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>InvalidAccessKeyId</Code>');
    });

    it('counts presigned requests, refused ones included', async () => {
      const response = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'text/html' }, body });
      expect(response.status).toBe(403);
      await response.arrayBuffer();
      expect(emulator.requests.byOperation()).toEqual({ PutObject: 1 });
    });
  });

  describe('header-signed requests', () => {
    it('refuses a request signed with the wrong secret', async () => {
      const wrongSecret = clientFor(emulator, { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: 'not-the-secret' });
      clients.push(wrongSecret);
      const error = await errorOf(wrongSecret.send(new HeadObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'robots.txt' })));
      expect(error.$metadata.httpStatusCode).toBe(403);

      const putError = await errorOf(
        wrongSecret.send(new PutObjectCommand({ Bucket: SEED_BUCKETS.assets, Key: 'intruder.txt', Body: 'nope' })),
      );
      expect(putError.name).toBe('SignatureDoesNotMatch');
      expect(emulator.requests.byOperation()).toEqual({ HeadObject: 1, PutObject: 1 });
    });

    it('refuses an unknown access key', async () => {
      const stranger = clientFor(emulator, { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'whatever' });
      clients.push(stranger);
      const error = await errorOf(stranger.send(new ListBucketsCommand({})));
      expect(error.name).toBe('InvalidAccessKeyId');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('stores SDK uploads byte for byte', async () => {
      const key = 'uploads/report.csv';
      const csv = 'customer,amount\ncus_Qm3vT8rLx2NcAe,19.00\n';
      await client.send(new PutObjectCommand({ Bucket: SEED_BUCKETS.customerFiles, Key: key, Body: csv, ContentType: 'text/csv' }));
      expect((await bodyBytes(client, SEED_BUCKETS.customerFiles, key)).toString('utf8')).toBe(csv);
    });
  });

  it('starts empty without seed, with its own credentials, and frees its port on close', async () => {
    const bare = await startS3Emulator({ seed: false, credentials: { accessKeyId: 'other', secretAccessKey: 'other-secret' } });
    extraEmulators.push(bare);
    const bareClient = clientFor(bare);
    clients.push(bareClient);
    expect((await bareClient.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect(bare.requests.byOperation()).toEqual({ ListBuckets: 1 });

    // The other emulator's key is not valid here, even though both run in this process.
    const crossed = clientFor(bare, emulator.credentials);
    clients.push(crossed);
    expect((await errorOf(crossed.send(new ListBucketsCommand({})))).name).toBe('InvalidAccessKeyId');

    await bare.close();
    await expect(fetch(`${bare.url}/_emulator/requests`)).rejects.toThrow();
  });

  describe('operation names', () => {
    const cases: Array<[method: string, url: string, headers: Record<string, string>, expected: string]> = [
      ['GET', '/', {}, 'ListBuckets'],
      ['HEAD', '/acme-assets', {}, 'HeadBucket'],
      ['PUT', '/acme-assets', {}, 'CreateBucket'],
      ['GET', '/acme-assets?list-type=2&prefix=images%2F&max-keys=10', {}, 'ListObjectsV2'],
      ['GET', '/acme-assets/?prefix=images%2F', {}, 'ListObjects'],
      ['GET', '/acme-assets?location', {}, 'Unknown'],
      ['POST', '/acme-assets?delete', {}, 'DeleteObjects'],
      ['HEAD', '/acme-assets/images/logo.png', {}, 'HeadObject'],
      ['GET', '/acme-assets/images/logo.png?x-id=GetObject&X-Amz-Signature=abc', {}, 'GetObject'],
      ['GET', '/acme-assets/images/logo.png?tagging', {}, 'Unknown'],
      ['PUT', '/acme-assets/a%20b.txt?x-id=PutObject', {}, 'PutObject'],
      ['PUT', '/acme-assets/copy.txt', { 'x-amz-copy-source': '/acme-assets/a.txt' }, 'CopyObject'],
      ['PUT', '/acme-assets/big.bin?partNumber=1&uploadId=abc', {}, 'Unknown'],
      ['DELETE', '/acme-assets/a.txt', {}, 'DeleteObject'],
      ['POST', '/acme-assets/big.bin?uploads', {}, 'Unknown'],
    ];
    it.each(cases)('%s %s %o is %s', (method, url, headers, expected) => {
      expect(classifyS3Operation({ method, url, headers })).toBe(expected);
    });
  });
});
