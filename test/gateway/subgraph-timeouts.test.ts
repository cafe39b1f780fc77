import { createServer, type Server, type Socket } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../gateway/limits.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { fed } from '../differential/harness.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { testAuthenticate, testPrincipalTokens } from '../support/tokens.ts';
import { collect, wsClient } from '../support/ws-client.ts';

/** Accepts connections and never answers: a subgraph stuck behind a dead load balancer. */
function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

const FAST = fed([], 'type Query { hello: String! }');
const STUCK = fed([], 'type Query { stuck: String slow: String } type Subscription { ticks: Int }');

const closers: (() => Promise<void>)[] = [];
let cutOff: RunningGateway;
let deadline: RunningGateway;

beforeAll(async () => {
  const fast = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(FAST), resolvers: { Query: { hello: () => 'hi' } } }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const fastUrl = (await startStandaloneServer(fast, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => fast.stop());
  // Answers, but only after 1.5 s: longer than the deadline below.
  const slow = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(STUCK), resolvers: { Query: { stuck: () => 'late', slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 1500)) } } }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const slowUrl = (await startStandaloneServer(slow, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => slow.stop());
  const hole = await blackHole();
  closers.push(() => hole.close());

  const composed = composeServices([
    { name: 'fast', url: fastUrl, typeDefs: parse(FAST) },
    { name: 'stuck', url: slowUrl, typeDefs: parse(STUCK) },
  ]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const start = async (subgraphUrls: Record<string, string>, limits: Partial<typeof DEFAULT_LIMITS>) => {
    const cacheStore = createMemoryCacheStore();
    const gateway = await startGateway({
      supergraphSdl: composed.supergraphSdl!,
      subgraphUrls,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent', name: 'timeouts' }),
      cacheStore,
      production: false,
      authenticate: testAuthenticate(),
      tokens: testPrincipalTokens(),
      accessRules: { Query: { hello: publicAccess, stuck: publicAccess, slow: publicAccess }, Subscription: { ticks: publicAccess } },
      limits: { ...DEFAULT_LIMITS, ...limits },
    });
    closers.push(async () => {
      await gateway.close();
      await cacheStore.close();
    });
    return gateway;
  };
  cutOff = await start({ stuck: hole.url }, { subgraphTimeoutMs: 300 });
  deadline = await start({}, { requestTimeoutMs: 300 });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('bounded waits for subgraphs', () => {
  it('abandons a subgraph that accepts the connection and never answers, and the rest of the answer stands', async () => {
    const started = Date.now();
    const response = await postGraphQL(cutOff.url, '{ hello stuck }');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(response.body.data).toEqual({ hello: 'hi', stuck: null });
    expect(response.body.errors).toEqual([expect.objectContaining({ path: ['stuck'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })]);
  });

  it('ends a subscription whose subgraph accepts the connection and never answers, with SUBGRAPH_UNAVAILABLE', async () => {
    const client = wsClient(cutOff.url.replace(/^http/, 'ws'));
    try {
      const results = await collect(client, 'subscription { ticks }');
      expect(results).toEqual([{ data: { ticks: null }, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) })] }]);
    } finally {
      await client.dispose();
    }
  });

  it('answers what is ready at the operation deadline, with errors where fetches were outstanding', async () => {
    const started = Date.now();
    const response = await postGraphQL(deadline.url, '{ hello slow }');
    expect(Date.now() - started).toBeLessThan(1400);
    expect(response.body.data).toEqual({ hello: 'hi', slow: null });
    expect(errorCodes(response)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(response.body.errors?.[0]?.path).toEqual(['slow']);
  });
});
