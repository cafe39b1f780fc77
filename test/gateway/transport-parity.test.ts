import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { signTestToken } from '../support/tokens.ts';
import { refusal, wsClient } from '../support/ws-client.ts';

/**
 * The same hostile documents over every transport: in production, no introspection and no "Did you
 * mean …?" (suggestions spell out field and enum names), whether the document comes over HTTP or WebSocket.
 */
let production: TestGateway;
beforeAll(async () => {
  production = await startTestGateway({ production: true });
});
afterAll(async () => {
  await production?.close();
});

const HOSTILE = [
  { name: 'introspection', query: '{ __schema { types { name } } }' },
  { name: 'a misspelt field', query: '{ whoam }' },
  { name: 'a misspelt argument', query: '{ echo(txt: "x") }' },
];

const messagesOf = (reason: unknown): string[] => (Array.isArray(reason) ? reason.map((error: { message?: string }) => String(error.message)) : [String(reason)]);

describe('one set of validation rules and masking on every transport', () => {
  for (const { name, query } of HOSTILE) {
    it(`refuses ${name} alike over HTTP and WebSocket, without suggestions`, async () => {
      const http = await postGraphQL(production.gateway.url, query);
      expect(http.status).toBe(400);
      expect(errorCodes(http)).toContain('GRAPHQL_VALIDATION_FAILED');
      const client = wsClient(production.gateway.wsUrl);
      try {
        const ws = await refusal(client, query);
        expect(ws).toBeDefined();
        for (const message of [...(http.body.errors ?? []).map((error) => error.message), ...messagesOf(ws)]) expect(message).not.toMatch(/Did you mean/);
      } finally {
        await client.dispose();
      }
    });
  }

  it('masks suggestions in variable errors too', async () => {
    const http = await postGraphQL(production.gateway.url, 'query ($id: ID!) { node(id: $id) { id } }', { idd: '1' });
    expect(http.status).toBe(400);
    expect(JSON.stringify(http.body)).not.toMatch(/Did you mean/);
  });

  it('accepts the token under `Authorization` too, and refuses a token that is not a string (4403), never as anonymous', async () => {
    const token = await signTestToken({ sub: 'alice' });
    const capitalised = wsClient(production.gateway.wsUrl, { connectionParams: { Authorization: `Bearer ${token}` } });
    const malformed = wsClient(production.gateway.wsUrl, { connectionParams: { authorization: { token } } });
    try {
      const results: unknown[] = [];
      await new Promise<void>((resolve, reject) => capitalised.subscribe({ query: '{ whoami }' }, { next: (r) => results.push(r), error: reject, complete: resolve }));
      expect(results).toEqual([{ data: { whoami: 'alice' } }]);
      const refused = await refusal(malformed, '{ whoami }');
      expect((refused as { code?: number }).code).toBe(4403);
    } finally {
      await capitalised.dispose();
      await malformed.dispose();
    }
  });

  it('closes a WebSocket when its token expires (4403), not later', async () => {
    const token = await signTestToken({ sub: 'alice' }, { expiresIn: Math.floor(Date.now() / 1000) + 2 });
    // Not lazy: the socket stays open with nothing running, as an idle app's would.
    const client = createClient({ url: production.gateway.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${token}` } });
    try {
      const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
      const results: unknown[] = [];
      await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ whoami }' }, { next: (r) => results.push(r), error: reject, complete: resolve }));
      expect(results).toEqual([{ data: { whoami: 'alice' } }]);
      const started = Date.now();
      expect(await closed).toBe(4403);
      expect(Date.now() - started).toBeLessThan(3500);
    } finally {
      await client.dispose();
    }
  });
});

describe('variables the operation cannot take, on every transport', () => {
  // The same mistakes Apollo Server answers over HTTP with BAD_USER_INPUT (400): never a masked internal error.
  const CASES = [
    { name: 'a required variable left out', variables: undefined },
    { name: 'a variable of the wrong type', variables: { n: 'three' } },
  ];
  // graphql-ws hands a refused subscription's `error` message payload (the errors) to `error`.
  const wsErrors = (result: unknown): { message: string; extensions?: { code?: string } }[] => (Array.isArray(result) ? result : []);

  for (const { name, variables } of CASES) {
    it(`answers ${name} with BAD_USER_INPUT over HTTP, graphql-ws, SSE and multipart`, async () => {
      const http = await postGraphQL(production.gateway.url, 'query ($t: String!) { echo(text: $t) }', variables === undefined ? undefined : { t: 3 });
      expect(http.status).toBe(400);
      expect(errorCodes(http)).toEqual(['BAD_USER_INPUT']);

      const client = wsClient(production.gateway.wsUrl);
      try {
        // A query over graphql-ws: its one result carries the error.
        const queryResults = await new Promise<unknown[]>((resolve, reject) => {
          const results: unknown[] = [];
          client.subscribe({ query: 'query ($t: String!) { echo(text: $t) }', ...(variables === undefined ? {} : { variables: { t: 3 } }) }, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
        });
        expect((queryResults[0] as { errors: { extensions: { code: string } }[] }).errors.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
        // A subscription over graphql-ws: refused in an error message.
        const refused = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: 'subscription ($n: Int!) { countdown(from: $n) }', ...(variables ? { variables } : {}) }, { next: () => {}, error: resolve, complete: () => resolve(undefined) });
        });
        const errors = wsErrors(refused);
        expect(errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
        expect(errors[0]?.message).toMatch(/\$n/);
      } finally {
        await client.dispose();
      }

      for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec=1.0']) {
        const response = await fetch(production.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query: 'subscription ($n: Int!) { countdown(from: $n) }', ...(variables ? { variables } : {}) }),
        });
        expect(response.status, accept).toBe(400);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors.map((error) => error.extensions.code), accept).toEqual(['BAD_USER_INPUT']);
        expect(body.errors[0]?.message, accept).toMatch(/\$n/);
      }
    });
  }
});
