import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { SEED_BUCKETS, seededKeys, seedObject } from '../../emulators/s3/fixtures/seed.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { emulatorRequests, resetEmulatorRequests, startTestApp } from '../support/app.ts';
import { adminHeaders } from '../support/tokens.ts';

const ASSETS = SEED_BUCKETS.assets;

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await resetEmulatorRequests(app, 's3');
});

/** These tests are about storage, not access: they call as an operator who may do anything. */
const query = async <Data>(text: string, variables?: Record<string, unknown>) => postGraphQL<Data>(app.gateway.url, text, variables, await adminHeaders());

interface Page {
  storedObjects: {
    nodes: { key: string; size: number }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const LIST = /* GraphQL */ `
  query List($bucket: String!, $prefix: String, $first: Int, $after: String) {
    storedObjects(bucket: $bucket, prefix: $prefix, first: $first, after: $after) {
      nodes { key size }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

describe('listing through the gateway', () => {
  it('pages through every object under a prefix, in key order, with no repeats', async () => {
    const expected = seededKeys(ASSETS, 'images/');
    expect(expected.length).toBeGreaterThan(30);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: Awaited<ReturnType<typeof query<Page>>> = await query<Page>(LIST, { bucket: ASSETS, prefix: 'images/', first: 10, after });
      expect(response.body.errors).toBeUndefined();
      const page = response.body.data!.storedObjects;
      expect(page.nodes.length).toBeLessThanOrEqual(10);
      seen.push(...page.nodes.map((n) => n.key));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(seen).toEqual([...expected].sort());
    expect(pages).toBe(Math.ceil(expected.length / 10));
  });

  it('bounds the page size', async () => {
    const response = await query(LIST, { bucket: ASSETS, first: 101 });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await emulatorRequests(app, 's3')).toEqual({});
  });

  it('refuses a cursor it did not issue', async () => {
    const response = await query(LIST, { bucket: ASSETS, first: 5, after: 'not-a-cursor' });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('object metadata is batched and cached', () => {
  const keys = seededKeys(ASSETS, 'images/').slice(0, 20);
  // Each object named twice: once plainly, once under another alias with other fields.
  const document = `{ ${keys
    .map((key, i) => `a${i}: storedObject(bucket: "${ASSETS}", key: "${key}") { key contentType size etag metadata { key value } } b${i}: storedObject(bucket: "${ASSETS}", key: "${key}") { contentType }`)
    .join('\n')} }`;

  it('makes one HeadObject call per distinct object, then none for a repeat', async () => {
    const first = await query<Record<string, { key: string; contentType: string; size: number; metadata: { key: string; value: string }[] }>>(document);
    expect(first.body.errors).toBeUndefined();
    for (const [i, key] of keys.entries()) {
      const seeded = seedObject(ASSETS, key);
      expect(first.body.data![`a${i}`]).toMatchObject({ key, contentType: seeded.contentType, size: seeded.body.byteLength });
      expect(Object.fromEntries(first.body.data![`a${i}`]!.metadata.map((m) => [m.key, m.value]))).toEqual(seeded.metadata);
    }
    const firstCalls = await emulatorRequests(app, 's3');
    expect(firstCalls['HeadObject']).toBe(20);

    await resetEmulatorRequests(app, 's3');
    const repeat = await query(document);
    expect(repeat.body).toEqual(first.body);
    expect(await emulatorRequests(app, 's3')).toEqual({});
  });
});

describe('missing things', () => {
  it('answers null for a key that does not exist', async () => {
    const response = await query(`{ storedObject(bucket: "${ASSETS}", key: "no/such/key.txt") { key } }`);
    expect(response.body).toEqual({ data: { storedObject: null } });
  });

  it('answers NOT_FOUND for an unknown bucket, without asking the provider', async () => {
    const response = await query(`{ storedObject(bucket: "no-such-bucket", key: "a.txt") { key } bucket(name: "other-bucket") { name } }`);
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(response.body.errors!.map((e) => e.message)).toEqual(['Bucket not found', 'Bucket not found']);
    expect(await emulatorRequests(app, 's3')).toEqual({});
  });

  it('rejects an empty key before any provider call', async () => {
    const response = await query(`{ storedObject(bucket: "${ASSETS}", key: "") { key } }`);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('uploads through presigned URLs', () => {
  const CREATE = /* GraphQL */ `
    mutation Upload($input: CreateUploadUrlInput!) {
      createUploadUrl(input: $input) { url method headers { name value } expiresAt bucket key }
    }
  `;
  interface Upload {
    createUploadUrl: { url: string; method: string; headers: { name: string; value: string }[]; expiresAt: string };
  }
  const body = new TextEncoder().encode('Quarterly report, Q3 2026: all systems nominal.\n');

  async function uploadUrl(key: string) {
    const response = await query<Upload>(CREATE, {
      input: { bucket: SEED_BUCKETS.customerFiles, key, contentType: 'text/plain', contentLength: body.byteLength, expiresIn: 120 },
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.createUploadUrl;
  }

  it('accepts a real PUT of exactly the signed file, which then appears in a listing and as an object', async () => {
    const key = 'customers/uploads-test/report.txt';
    const upload = await uploadUrl(key);
    expect(upload.method).toBe('PUT');
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    const put = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body });
    expect(put.status).toBe(200);

    const listed = await query<Page>(LIST, { bucket: SEED_BUCKETS.customerFiles, prefix: 'customers/uploads-test/', first: 10 });
    expect(listed.body.data!.storedObjects.nodes).toEqual([{ key, size: body.byteLength }]);
    const object = await query<{ storedObject: { contentType: string; downloadUrl: string } }>(
      `{ storedObject(bucket: "${SEED_BUCKETS.customerFiles}", key: "${key}") { contentType downloadUrl(expiresIn: 60) } }`,
    );
    expect(object.body.data!.storedObject.contentType).toBe('text/plain');
    const download = await fetch(object.body.data!.storedObject.downloadUrl);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(body);
  });

  it('refuses, as S3 does, a PUT with another content type or a larger body', async () => {
    const upload = await uploadUrl('customers/uploads-test/refused.txt');
    const otherType = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
    expect(otherType.status).toBe(403);
    expect(await otherType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const larger = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: new Uint8Array(body.byteLength + 1) });
    expect(larger.status).toBe(403);
    expect(await larger.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const gone = await query(`{ storedObject(bucket: "${SEED_BUCKETS.customerFiles}", key: "customers/uploads-test/refused.txt") { key } }`);
    expect(gone.body).toEqual({ data: { storedObject: null } });
  });

  it('refuses uploads above the size limit and bad content types before signing anything', async () => {
    const tooBig = await query(CREATE, { input: { bucket: ASSETS, key: 'big.bin', contentType: 'application/octet-stream', contentLength: 26 * 1024 * 1024 } });
    const badType = await query(CREATE, { input: { bucket: ASSETS, key: 'x.bin', contentType: 'not a type', contentLength: 1 } });
    const longExpiry = await query(CREATE, { input: { bucket: ASSETS, key: 'x.bin', contentType: 'text/plain', contentLength: 1, expiresIn: 3601 } });
    expect([errorCodes(tooBig), errorCodes(badType), errorCodes(longExpiry)]).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT']]);
  });
});

describe('deleting', () => {
  it('deletes an object and evicts the cached metadata and listings that showed it', async () => {
    const bucket = SEED_BUCKETS.customerFiles;
    const [key] = seededKeys(bucket, 'customers/');
    const prefix = key!.slice(0, key!.lastIndexOf('/') + 1);
    const before = await query<Page>(LIST, { bucket, prefix, first: 100 });
    expect(before.body.data!.storedObjects.nodes.map((n) => n.key)).toContain(key);
    expect((await query(`{ storedObject(bucket: "${bucket}", key: "${key}") { key } }`)).body.data).toEqual({ storedObject: { key } });

    const deleted = await query(`mutation { deleteObject(bucket: "${bucket}", key: "${key}") { deleted } }`);
    expect(deleted.body).toEqual({ data: { deleteObject: { deleted: true } } });

    const after = await query<Page>(LIST, { bucket, prefix, first: 100 });
    expect(after.body.data!.storedObjects.nodes.map((n) => n.key)).not.toContain(key);
    expect((await query(`{ storedObject(bucket: "${bucket}", key: "${key}") { key } }`)).body.data).toEqual({ storedObject: null });
  });
});
