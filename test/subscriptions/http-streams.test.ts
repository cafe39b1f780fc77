import { request as httpRequest } from 'node:http';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../gateway/limits.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { signTestToken } from '../support/tokens.ts';
import { subscribe, wsClient } from '../support/ws-client.ts';

let stack: TestGateway;
beforeAll(async () => {
  // A small buffer, so that a client that does not read is cut off quickly.
  stack = await startTestGateway({ limits: { ...DEFAULT_LIMITS, wsMaxBufferedBytes: 64 * 1024 } });
});
afterAll(async () => {
  await stack?.close();
});

/** graphql-sse's own client, in its default "distinct connections" mode (one HTTP request per operation). */
async function overSse(query: string, token?: string): Promise<unknown[]> {
  const client = createClient({ url: stack.gateway.url, retryAttempts: 0, headers: token ? { authorization: `Bearer ${token}` } : {} });
  try {
    const results: unknown[] = [];
    for await (const result of client.iterate({ query })) results.push(result);
    return results;
  } finally {
    client.dispose();
  }
}

/** Apollo Client's HttpLink, which speaks Apollo's multipart subscription protocol without a WebSocket. */
function overMultipart(query: string, token?: string): Promise<unknown[]> {
  const client = new ApolloClient({ link: new HttpLink({ uri: stack.gateway.url, headers: token ? { authorization: `Bearer ${token}` } : {} }), cache: new InMemoryCache() });
  return new Promise<unknown[]>((resolve, reject) => {
    const results: unknown[] = [];
    client.subscribe({ query: gql(query) }).subscribe({
      next: (result) => results.push(result.error ? { error: result.error.message } : { data: result.data }),
      error: reject,
      complete: () => resolve(results),
    });
  }).finally(() => client.stop());
}

describe('subscriptions over Server-Sent Events (graphql-sse)', () => {
  it('streams every event, then completes', async () => {
    expect(await overSse('subscription { countdown(from: 3) }')).toEqual([3, 2, 1, 0].map((n) => ({ data: { countdown: n } })));
  });

  it('authenticates the caller from the Authorization header, for the subgraph too', async () => {
    expect(await overSse('subscription { whoamiLive }', await signTestToken({ sub: 'grace' }))).toEqual([{ data: { whoamiLive: 'grace' } }]);
  });

  it('answers queries too, as one event', async () => {
    expect(await overSse('{ echo(text: "sse") }')).toEqual([{ data: { echo: 'sse' } }]);
  });

  it('refuses what graphql-ws refuses, with the same codes, before streaming', async () => {
    const invalid = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { nope }' }) });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const forged = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer forged' }, body: JSON.stringify({ query: 'subscription { countdown(from: 1) }' }) });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer');
    // As over plain HTTP: the code alone, no `http` internals.
    expect(((await forged.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('cuts off a client that stops reading, instead of holding its events', async () => {
    const url = new URL(stack.gateway.url);
    const received = await new Promise<{ bytes: number; complete: boolean }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } },
        (res) => {
          res.pause(); // a client that does not read
          let bytes = 0;
          let text = '';
          setTimeout(() => {
            res.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
              text = (text + chunk.toString('utf8')).slice(-64);
            });
            const done = () => resolve({ bytes, complete: text.includes('event: complete') });
            res.on('end', done);
            res.on('aborted', done);
            res.on('error', done);
            res.resume();
          }, 1000);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'subscription { flood(count: 2000, size: 10000) }' }));
    });
    // 20 MB of events were due; far less arrived, and the stream did not end as if it were complete.
    expect(received.complete).toBe(false);
    expect(received.bytes).toBeLessThan(10_000_000);
  });
});

describe("subscriptions over Apollo's multipart HTTP protocol", () => {
  it('streams every event to Apollo Client, then completes', async () => {
    expect(await overMultipart('subscription { countdown(from: 2) }')).toEqual([2, 1, 0].map((n) => ({ data: { countdown: n } })));
  });

  it('authenticates the caller from the Authorization header', async () => {
    expect(await overMultipart('subscription { whoamiLive }', await signTestToken({ sub: 'ada' }))).toEqual([{ data: { whoamiLive: 'ada' } }]);
  });

  it('frames each event as a part with a payload, as the protocol says', async () => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json' },
      body: JSON.stringify({ query: 'subscription { countdown(from: 1) }' }),
    });
    expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    const body = await response.text();
    expect(body).toContain('{"payload":{"data":{"countdown":1}}}');
    expect(body).toContain('{"payload":{"data":{"countdown":0}}}');
    expect(body.trimEnd().endsWith('--graphql--')).toBe(true);
  });
});

describe('a client that leaves a subscription on which nothing happens', () => {
  /** Waits (bounded) until the subgraph has `count` quiet subscriptions open; the assertion is on the count. */
  const quietOpen = async (count: number) => {
    for (let waited = 0; (stack.stats.quietOpen ?? 0) !== count && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    return stack.stats.quietOpen ?? 0;
  };

  it.each([
    ['SSE', 'text/event-stream'],
    ['multipart', 'multipart/mixed;subscriptionSpec=1.0'],
  ])('ends it at the subgraph at once over %s, without waiting for an event', async (_name, accept) => {
    const leaving = new AbortController();
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query: 'subscription { quiet }' }),
      signal: leaving.signal,
    });
    expect(response.status).toBe(200);
    expect(await quietOpen(1)).toBe(1);
    leaving.abort();
    expect(await quietOpen(0)).toBe(0);
  });

  it('ends it at the subgraph at once when a graphql-ws client completes it', async () => {
    const client = wsClient(stack.gateway.wsUrl);
    try {
      const live = subscribe(client, 'subscription { quiet }');
      expect(await quietOpen(1)).toBe(1);
      live.stop();
      expect(await quietOpen(0)).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});
