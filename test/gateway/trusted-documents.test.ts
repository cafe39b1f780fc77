import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePersistedDocuments } from '../../gateway/persisted-documents/manifest.ts';
import { resolveTrustedDocument } from '../../gateway/persisted-documents/resolve.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { collect, wsClient } from '../support/ws-client.ts';

const ECHO = 'query Echo($text: String!) { echo(text: $text) }';
const COUNTER = 'query Counter { counter }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** As GraphQL Code Generator's client preset writes it (persistedDocuments: true): hash → document. */
const CODEGEN_MANIFEST = JSON.stringify({ [sha256(ECHO)]: ECHO });
/** As @apollo/generate-persisted-query-manifest writes it. */
const APOLLO_MANIFEST = JSON.stringify({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [
    { id: sha256(ECHO), name: 'Echo', type: 'query', body: ECHO },
    { id: sha256(COUNTER), name: 'Counter', type: 'query', body: COUNTER },
  ],
});

async function post(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
}
const codes = (body: unknown) => ((body as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((error) => error.extensions?.code);

describe('persisted document manifests', () => {
  it("read GraphQL Code Generator's and Apollo's formats", () => {
    expect(parsePersistedDocuments(CODEGEN_MANIFEST).byId.get(sha256(ECHO))).toBe(ECHO);
    const apollo = parsePersistedDocuments(APOLLO_MANIFEST);
    expect([...apollo.byId.keys()]).toEqual([sha256(ECHO), sha256(COUNTER)]);
    expect(apollo.bodies.has(COUNTER)).toBe(true);
  });

  it("find a document whichever way the client spells its id, whichever way the manifest keys it (codegen's `sha256:` prefix, Apollo's bare hex)", () => {
    const prefixed = parsePersistedDocuments(JSON.stringify({ [`sha256:${sha256(ECHO)}`]: ECHO }));
    for (const documents of [prefixed, parsePersistedDocuments(CODEGEN_MANIFEST)]) {
      const policy = { documents, allowArbitrary: false };
      expect(resolveTrustedDocument({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ECHO) } } }, policy)).toEqual({ kind: 'run', query: ECHO, fromManifest: true });
      expect(resolveTrustedDocument({ documentId: `sha256:${sha256(ECHO)}` }, policy)).toEqual({ kind: 'run', query: ECHO, fromManifest: true });
      expect(resolveTrustedDocument({ documentId: sha256(ECHO) }, policy)).toEqual({ kind: 'run', query: ECHO, fromManifest: true });
    }
  });

  it('refuse a manifest that would half-load, saying why', () => {
    expect(() => parsePersistedDocuments('{ nope')).toThrow(/not JSON/);
    expect(() => parsePersistedDocuments('{}')).toThrow(/no documents/);
    expect(() => parsePersistedDocuments('{ "a": 1 }')).toThrow(/"a" is not mapped to a document/);
    expect(() => parsePersistedDocuments(JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }))).toThrow(/version 2/);
  });
});

let only: TestGateway;
let open: TestGateway;
beforeAll(async () => {
  [only, open] = await Promise.all([
    startTestGateway({ trustedDocuments: { documents: parsePersistedDocuments(APOLLO_MANIFEST), allowArbitrary: false } }),
    startTestGateway({ trustedDocuments: { documents: parsePersistedDocuments(CODEGEN_MANIFEST), allowArbitrary: true } }),
  ]);
});
afterAll(async () => {
  await Promise.all([only?.close(), open?.close()]);
});

describe('trusted documents only', () => {
  it('runs a document by id, however the client names it: documentId, Apollo persisted query, GET, batch', async () => {
    const url = only.gateway.url;
    expect((await post(url, { documentId: sha256(ECHO), variables: { text: 'by id' } })).body).toEqual({ data: { echo: 'by id' } });
    expect((await post(url, { documentId: `sha256:${sha256(ECHO)}`, variables: { text: 'prefixed' } })).body).toEqual({ data: { echo: 'prefixed' } });
    const apollo = await post(url, { operationName: 'Echo', variables: { text: 'apollo' }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ECHO) } } });
    expect(apollo.body).toEqual({ data: { echo: 'apollo' } });
    const get = await fetch(`${url}?documentId=${sha256(ECHO)}&variables=${encodeURIComponent(JSON.stringify({ text: 'get' }))}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual({ data: { echo: 'get' } });
    const batch = await post(url, [{ documentId: sha256(ECHO), variables: { text: 'one' } }, { documentId: sha256(COUNTER) }]);
    expect(batch.body).toEqual([{ data: { echo: 'one' } }, { data: { counter: 0 } }]);
  });

  it('refuses what is not in the manifest, before anything runs', async () => {
    const url = only.gateway.url;
    const unknownId = await post(url, { documentId: sha256('{ counter }') });
    expect(unknownId.status).toBe(400);
    expect(codes(unknownId.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const text = await post(url, { query: '{ whoami }' });
    expect(text.status).toBe(400);
    expect(codes(text.body)).toEqual(['QUERY_NOT_IN_SAFELIST']);
    // Nor may a client register a document of its own through automatic persisted queries.
    const apq = await post(url, { query: '{ whoami }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ whoami }') } } });
    expect(codes(apq.body)).toEqual(['QUERY_NOT_IN_SAFELIST']);
    // One refused operation refuses its batch.
    expect(codes((await post(url, [{ documentId: sha256(COUNTER) }, { query: '{ whoami }' }])).body)).toEqual(['QUERY_NOT_IN_SAFELIST']);
    expect(only.stats.counterReads ?? 0).toBe(1); // only the earlier allowed batch read it
  });

  it("runs a document sent as text when it is exactly one of the manifest's", async () => {
    expect((await post(only.gateway.url, { query: ECHO, variables: { text: 'listed' } })).body).toEqual({ data: { echo: 'listed' } });
  });

  it('applies the same policy over WebSocket', async () => {
    const client = wsClient(only.gateway.wsUrl);
    try {
      expect(await collect(client, '', { documentId: sha256(COUNTER) })).toEqual([{ data: { counter: 0 } }]);
      const refused = await collect(client, '{ whoami }').catch((errors: unknown) => errors);
      expect(codes({ errors: refused })).toEqual(['QUERY_NOT_IN_SAFELIST']);
    } finally {
      await client.dispose();
    }
  });
});

describe('trusted documents alongside arbitrary operations', () => {
  it('runs manifest ids, and still lets any operation and automatic persisted queries through', async () => {
    const url = open.gateway.url;
    expect((await post(url, { documentId: sha256(ECHO), variables: { text: 'trusted' } })).body).toEqual({ data: { echo: 'trusted' } });
    expect((await post(url, { query: '{ echo(text: "free") }' })).body).toEqual({ data: { echo: 'free' } });
    const unknown = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ counter }') } } });
    expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
