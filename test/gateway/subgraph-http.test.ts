import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphHttp } from '../../gateway/engine/subgraph-http.ts';
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
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'x-gateway-stale': stale }).end(`{"data":{"n":${requests}}}`), 100);
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
      expect(answers.map((answer) => answer.data)).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
      // Each sharer gets its own copy: the engine merges answers in place.
      expect(answers[0]!.data).not.toBe(answers[1]!.data);

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
