import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPools } from '../../gateway/engine/http-pools.ts';
import { cloneJson } from '../../gateway/engine/merge.ts';
import { createSubgraphHttp } from '../../gateway/engine/subgraph-http.ts';
import { SubgraphTimeoutError } from '../../gateway/engine/subgraph-request.ts';
import type { GatewayContext } from '../../gateway/execute/gateway-context.ts';
import { ANONYMOUS_CALLER, type Caller } from '../../kit/access/principal.ts';
import { PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';
import { listen } from '../../kit/listen.ts';
import { silentLogger } from '../../kit/logger.ts';
import { testPrincipalTokens } from '../support/tokens.ts';

let requests = 0;
const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  requests++;
  seen.push(req.headers);
  req.resume();
  const stale = JSON.stringify([{ provider: 'stripe', kind: 'customer', id: 'cus_1', since: '2026-12-05T00:00:00.000Z' }]);
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'x-gateway-stale': stale }).end(`{"data":{"n":${requests},"o":{"list":[{"q":1}]}}}`), 100);
});
let url: string;
beforeAll(async () => {
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1', 'test server')}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const user = (subject: string): Caller => ({ kind: 'user', principal: { subject, scopes: [] } });
const contextOf = (caller: Caller): GatewayContext => ({ requestId: 'req-1', caller, logger: silentLogger, stale: [] });

describe('subgraph requests over HTTP', () => {
  it('sends identical concurrent queries of one caller once; other callers and mutations go on their own', async () => {
    const tokens = testPrincipalTokens();
    const http = createSubgraphHttp({ endpoints: new Map([['a', url]]), tokens });
    try {
      const call = (query: string, caller: Caller, operationKind: 'query' | 'mutation' = 'query') =>
        http.call('a', { query, operationKind, context: contextOf(caller) });
      requests = 0;
      const answers = await Promise.all([call('{ a }', ANONYMOUS_CALLER), call('{ a }', ANONYMOUS_CALLER), call('{ a }', ANONYMOUS_CALLER)]);
      expect(requests).toBe(1);
      const expected = { n: 1, o: { list: [{ q: 1 }] } };
      expect(answers.map((answer) => answer.data)).toEqual([expected, expected, expected]);
      // Each sharer gets its own copy, all the way down: the engine merges answers in place.
      type Shape = { o: { list: { q: number }[] } };
      const [first, second, third] = answers.map((answer) => answer.data as unknown as Shape);
      first!.o.list[0]!.q = 2;
      second!.o.list.push({ q: 3 });
      expect(third).toEqual(expected);
      expect(new Set(answers.map((answer) => answer.data)).size).toBe(3);

      requests = 0;
      await Promise.all([call('{ a }', user('alice')), call('{ a }', user('bob')), call('{ b }', user('alice'))]);
      expect(requests).toBe(3);

      requests = 0;
      await Promise.all([call('mutation { m }', user('alice'), 'mutation'), call('mutation { m }', user('alice'), 'mutation')]);
      expect(requests).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('lets the first sharer of an answer go on, and the others only after the next ticks it queued (where node:http writes its next request)', async () => {
    const http = createSubgraphHttp({ endpoints: new Map([['a', url]]), tokens: testPrincipalTokens() });
    try {
      const order: string[] = [];
      const sharer = async (name: string) => {
        await http.call('a', { query: '{ shared }', operationKind: 'query', context: contextOf(ANONYMOUS_CALLER) });
        order.push(name);
        // What the first does next (a request of its own) is written on a next tick.
        if (order.length === 1) process.nextTick(() => order.push('next tick of the first'));
      };
      await Promise.all([sharer('one'), sharer('two'), sharer('three')]);
      expect(order).toEqual(['one', 'next tick of the first', 'two', 'three']);
    } finally {
      await http.close();
    }
  });

  it('signs the caller, passes the request id, and reads what the subgraph served stale', async () => {
    const tokens = testPrincipalTokens();
    const http = createSubgraphHttp({ endpoints: new Map([['a', url]]), tokens });
    try {
      seen.length = 0;
      const context = contextOf(user('carol'));
      await http.call('a', { query: '{ c }', operationKind: 'query', context, clientOperationName: 'Mine' });
      const headers = seen[0]!;
      expect(headers['x-request-id']).toBe('req-1');
      expect(headers['x-operation-name']).toBe('Mine');
      expect(tokens.verifyCaller(headers[PRINCIPAL_HEADER])).toMatchObject({ kind: 'user', principal: { subject: 'carol' } });
      expect(context.stale).toEqual([expect.objectContaining({ provider: 'stripe', id: 'cus_1' })]);
    } finally {
      await http.close();
    }
  });
});

describe('copies of a shared answer', () => {
  it('keep a "__proto__" key as data, never as the copy\'s prototype', () => {
    const parsed = JSON.parse('{"data":{"__proto__":{"polluted":true},"list":[[1],null]}}') as { data: Record<string, unknown> };
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy.data)).toBe(Object.prototype);
    expect(Object.keys(copy.data)).toEqual(['__proto__', 'list']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect((copy.data as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('the connection pools', () => {
  it("leave Node's fetch on its own dispatcher: loading them does not install undici's (the provider SDKs use fetch)", () => {
    // A process of its own: in this one, fetch may have installed Node's dispatcher already.
    const script = `await import(${JSON.stringify(new URL('../../gateway/engine/http-pools.ts', import.meta.url).href)});
      process.stdout.write(String(globalThis[Symbol.for('undici.globalDispatcher.1')] === undefined && globalThis[Symbol.for('undici.globalDispatcher.2')] === undefined));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true');
  });

  it('POST the body and read status, stale header and body; a subgraph that does not answer in time is abandoned', async () => {
    const pools = createHttpPools();
    try {
      seen.length = 0;
      const answer = await pools.post(url, { 'content-type': 'application/json', 'x-test': 'yes' }, '{"query":"{ a }"}', 5_000);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ data: { o: { list: [{ q: 1 }] } } });
      expect(answer.stale).toContain('cus_1');
      expect(seen[0]).toMatchObject({ 'x-test': 'yes', 'content-length': '17' });
      // The test server answers after 100 ms.
      await expect(pools.post(url, {}, '{}', 20)).rejects.toBeInstanceOf(SubgraphTimeoutError);
    } finally {
      await pools.close();
    }
  });
});
