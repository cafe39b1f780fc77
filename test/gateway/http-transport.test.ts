import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

let stack: TestGateway;
beforeAll(async () => {
  stack = await startTestGateway();
});
afterAll(async () => {
  await stack?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('a general federation gateway', () => {
  it('executes a query against a subgraph it was only given through the supergraph', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ echo(text: "hi") node(id: "1") { id child { id } } }');
    expect(response.body).toEqual({ data: { echo: 'hi', node: { id: '1', child: { id: '1.1' } } } });
  });

  it('carries the caller’s x-request-id to the subgraph and back', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ node(id: "1") { requestId } }', undefined, { 'x-request-id': 'req-abc.123' });
    expect(response.headers.get('x-request-id')).toBe('req-abc.123');
    expect(response.body.data).toEqual({ node: { requestId: 'req-abc.123' } });
  });
});

describe('bad input gets a clear error with a stable code', () => {
  it('malformed query: GRAPHQL_PARSE_FAILED', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ node(id: "1") { id ');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('unknown field: GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ nope }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('too deep: refused before any subgraph call', async () => {
    const deep = `{ node(id: "1") { ${'child { '.repeat(14)} id ${'} '.repeat(14)} } }`;
    const response = await postGraphQL(stack.gateway.url, deep);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors![0]!.message).toMatch(/depth/i);
  });

  it('too many aliases: refused', async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: echo(text: "x")`).join(' ');
    const response = await postGraphQL(stack.gateway.url, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.message).toMatch(/alias/i);
  });

  it('oversized body: 413 with a JSON error', async () => {
    const response = await post({ query: `{ echo(text: "${'x'.repeat(300 * 1024)}") }` });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('invalid JSON: 400 with a JSON error', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('batched requests: up to GATEWAY_MAX_BATCH (10) operations answered in order, more refused whole', async () => {
    const batch = await post([{ query: '{ echo(text: "a") }' }, { query: '{ echo(text: "b") }' }]);
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual([{ data: { echo: 'a' } }, { data: { echo: 'b' } }]);

    // Refused before any operation runs: one error for the whole request, not an array of results.
    const tooMany = await post(Array.from({ length: 11 }, (_, i) => ({ query: `{ echo(text: "${i}") }` })));
    expect(tooMany.status).toBe(400);
    const body = (await tooMany.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(Array.isArray(body)).toBe(false);
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(body.errors[0]!.message).toMatch(/10/);
  });
});

describe('cross-site request forgery', () => {
  const refusal = async (response: Response) => {
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(body.errors[0]!.message).toMatch(/Cross-Site Request Forgery/);
  };
  const get = (headers: Record<string, string> = {}) => fetch(`${stack.gateway.url}?query=${encodeURIComponent('{ __typename }')}`, { headers });

  it('refuses a simple GET a browser would send cross-site without a preflight', async () => {
    await refusal(await get());
  });

  it('refuses a simple POST (text/plain) the same way', async () => {
    await refusal(await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) }));
  });

  it('answers a GET that forces a preflight, and a JSON POST', async () => {
    const preflighted = await get({ 'apollo-require-preflight': 'true' });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
    const json = await post({ query: '{ __typename }' });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('automatic persisted queries', () => {
  it('registers a query by hash, then runs it from the hash alone', async () => {
    const query = '{ echo(text: "persisted") }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    type Body = { data?: unknown; errors?: { extensions: { code: string } }[] };
    const send = async (body: unknown) => (await (await post(body)).json()) as Body;
    expect((await send({ extensions })).errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, extensions })).data).toEqual({ echo: 'persisted' });
    expect((await send({ extensions })).data).toEqual({ echo: 'persisted' });
  });
});

describe('health and landing page', () => {
  const base = () => stack.gateway.url.replace(/\/graphql$/, '');

  it('is live, and ready when every subgraph answers', async () => {
    expect(await (await fetch(`${base()}/health/live`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${base()}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, subgraphs: { nodes: { ok: true } }, cache: { ok: true } });
  });

  it('serves Apollo Sandbox to browsers outside production', async () => {
    const page = await fetch(stack.gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/sandbox/i);
  });

  it('answers a path it has no route for with a JSON 404', async () => {
    const response = await fetch(`${base()}/webhooks/paypal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: 'no route for POST /webhooks/paypal' });
  });

  it('answers introspection outside production', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ __schema { queryType { name } } }');
    expect(response.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('in production', () => {
  let production: TestGateway;
  beforeAll(async () => {
    production = await startTestGateway({ production: true });
  });
  afterAll(async () => {
    await production?.close();
  });

  it('turns off introspection and the landing page', async () => {
    const response = await postGraphQL(production.gateway.url, '{ __schema { queryType { name } } }');
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const page = await fetch(production.gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
  });

  it('does not suggest field names', async () => {
    const response = await postGraphQL(production.gateway.url, '{ ech }');
    expect(response.body.errors![0]!.message).not.toMatch(/did you mean/i);
  });

  it('still serves queries', async () => {
    expect((await postGraphQL(production.gateway.url, '{ echo(text: "ok") }')).body.data).toEqual({ echo: 'ok' });
  });
});

describe('token limit', () => {
  it('refuses an over-long document as a parse failure', async () => {
    const fields = Array.from({ length: 6000 }, () => '__typename').join(' ');
    const response = await postGraphQL(stack.gateway.url, `{ ${fields} }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(response.body.errors![0]!.message).toMatch(/5000 tokens/);
  });
});

describe('a subgraph that cannot be reached', () => {
  it('answers SUBGRAPH_UNAVAILABLE, without the subgraph query or its address', async () => {
    const down = await startTestGateway();
    await down.subgraph.close();
    try {
      const response = await postGraphQL(down.gateway.url, '{ echo(text: "private value") }');
      expect(errorCodes(response)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      const text = JSON.stringify(response.body);
      expect(text).not.toContain('private value');
      expect(text).not.toContain('127.0.0.1');
    } finally {
      await down.close();
    }
  });
});

describe('an APQ hash that does not match its query', () => {
  it('is a BAD_REQUEST', async () => {
    const response = await post({ query: '{ echo(text: "a") }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});

describe('an unexpected error in a resolver', () => {
  it('reaches the client as INTERNAL_SERVER_ERROR with no detail', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ node(id: "explode") { id } }');
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(response.body.errors![0]!.message).toBe('Internal server error');
    expect(JSON.stringify(response.body)).not.toContain('10.0.0.5');
  });
});
