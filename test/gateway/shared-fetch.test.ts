import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedInFlightFetch } from '../../gateway/execute/shared-fetch.ts';
import { listen } from '../../kit/listen.ts';
import { PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';

let requests = 0;
const server = createServer((req, res) => {
  requests++;
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'x-gateway-stale': '[]' }).end(`{"data":{"n":${requests}}}`), 100);
});
let url: string;
beforeAll(async () => {
  url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1', 'test server')}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = (fetchFn: ReturnType<typeof sharedInFlightFetch>, query: string, principal: string) =>
  fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal }, body: JSON.stringify({ query }) }).then((r) => r.json());

describe('subgraph requests in flight are shared', () => {
  it('sends identical concurrent queries of one caller once; other callers and mutations go on their own', async () => {
    const shared = sharedInFlightFetch();
    requests = 0;
    const answers = await Promise.all([post(shared, '{ a }', 'alice'), post(shared, '{ a }', 'alice'), post(shared, '{ a }', 'alice')]);
    expect(requests).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);

    requests = 0;
    await Promise.all([post(shared, '{ a }', 'alice'), post(shared, '{ a }', 'bob'), post(shared, '{ b }', 'alice')]);
    expect(requests).toBe(3);

    requests = 0;
    await Promise.all([post(shared, 'mutation { m }', 'alice'), post(shared, 'mutation { m }', 'alice')]);
    expect(requests).toBe(2);
  });
});
