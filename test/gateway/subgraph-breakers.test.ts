import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type OperationLimits } from '../../gateway/limits.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { createMetrics, type Metrics } from '../../kit/metrics.ts';
import { fed } from '../differential/harness.ts';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-client.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { collect, wsClient } from '../support/ws-client.ts';

/**
 * The gateway's breaker per subgraph: a subgraph that stops answering (hangs, or a proxy in front of it
 * answers 503) is skipped after a few requests in a row, its fields failing at once while the rest of the
 * answer stands; it is tried again later, and used again once it answers. A subgraph answering GraphQL
 * errors is up, and never skipped. Requests are counted where they arrive, in front of the subgraph.
 */

const FAST = fed([], 'type Query { hello: String! }');
const FLAKY = fed([], 'type Query { flaky: String } type Subscription { ticks: Int }');
const QUERY = '{ hello flaky }';

type Mode = 'up' | 'hang' | '503' | 'graphql-error';

/** The flaky subgraph behind a front that can hang, answer 503 as a load balancer would, or pass requests on. */
interface Front {
  readonly url: string;
  mode: Mode;
  /** Requests that reached the front (whatever it did with them). */
  received: number;
  /** WebSocket upgrade requests (subscriptions' connections) that reached it: held while it hangs, refused otherwise. */
  upgrades: number;
  close(): Promise<void>;
}

const HIT = 'the flaky subgraph, reached';
const closers: (() => Promise<void>)[] = [];
let front: Front;
let fastUrl: string;
let supergraphSdl: string;

async function startFront(subgraphUrl: string): Promise<Front> {
  const held = new Set<ServerResponse>();
  const heldSockets = new Set<Duplex>();
  const state = { mode: 'up' as Mode, received: 0, upgrades: 0 };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    state.received++;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (state.mode === 'hang') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      if (state.mode === '503') {
        response.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>503 Service Unavailable</body></html>');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      void fetch(subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mode': state.mode }, body }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
  });
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    state.upgrades++;
    if (state.mode !== 'hang') return socket.destroy();
    heldSockets.add(socket);
    socket.on('close', () => heldSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        for (const socket of heldSockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

beforeAll(async () => {
  const fast = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(FAST), resolvers: { Query: { hello: () => 'hi' } } }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  fastUrl = (await startStandaloneServer(fast, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => fast.stop());
  const flaky = new ApolloServer<{ mode: string }>({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(FLAKY),
        resolvers: {
          Query: {
            flaky: (_parent: unknown, _args: unknown, { mode }: { mode: string }) => {
              if (mode === 'graphql-error') throw new GraphQLError('flaky refuses', { extensions: { code: 'FLAKY_REFUSED' } });
              return HIT;
            },
          },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const flakyUrl = (await startStandaloneServer(flaky, { listen: { host: '127.0.0.1', port: 0 }, context: async ({ req }) => ({ mode: String(req.headers['x-mode'] ?? 'up') }) })).url;
  closers.push(() => flaky.stop());
  front = await startFront(flakyUrl);
  closers.push(() => front.close());
  const composed = composeServices([
    { name: 'fast', url: fastUrl, typeDefs: parse(FAST) },
    { name: 'flaky', url: front.url, typeDefs: parse(FLAKY) },
  ]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  supergraphSdl = composed.supergraphSdl;
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** A gateway of its own (breakers start closed), with short bounds; closed by the test that started it. */
async function startStack(limits: Partial<OperationLimits>): Promise<{ gateway: RunningGateway; metrics: Metrics; close(): Promise<void> }> {
  const metrics = createMetrics();
  const { gateway, close } = await startGatewayFor(supergraphSdl, {
    accessRules: { Query: { hello: publicAccess, flaky: publicAccess }, Subscription: { ticks: publicAccess } },
    limits: { ...DEFAULT_LIMITS, subgraphTimeoutMs: 300, subgraphBreakerFailures: 3, subgraphBreakerHalfOpenMs: 600, ...limits },
    metrics,
  });
  return { gateway, metrics, close };
}

type Stack = Awaited<ReturnType<typeof startStack>>;

/** Runs `test` against a stack of its own; whatever happens, the front is up again and the stack closed after. */
async function withStack(limits: Partial<OperationLimits>, test: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack(limits);
  try {
    await test(stack);
  } finally {
    front.mode = 'up';
    await stack.close();
  }
}

const ask = async (gateway: RunningGateway): Promise<{ response: GraphQLResponse; ms: number }> => {
  const started = performance.now();
  const response = await postGraphQL(gateway.url, QUERY);
  return { response, ms: performance.now() - started };
};

const breakerState = async (metrics: Metrics) => (await metrics.subgraphBreakerState.get()).values.find((value) => value.labels['subgraph'] === 'flaky')?.value;

const unavailable = (message: string) => ({ data: { hello: 'hi', flaky: null }, errors: [{ message, path: ['flaky'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
const TIMED_OUT = 'A backing service of this gateway did not answer in time';
const UNAVAILABLE = 'A backing service of this gateway is unavailable';

describe('a breaker per subgraph', () => {
  it('skips a hung subgraph after three requests in a row without an answer, tries it again later, and uses it once it answers', () =>
    withStack({}, async (stack) => {
      // Known from the start, before any request: the gauge shows every subgraph of the supergraph.
      expect(await breakerState(stack.metrics)).toBe(0);
      front.mode = 'hang';
      const before = front.received;
      for (let i = 0; i < 3; i++) {
        const { response, ms } = await ask(stack.gateway);
        expect(response.body).toEqual(unavailable(TIMED_OUT));
        expect(ms).toBeGreaterThanOrEqual(290);
      }
      expect(front.received - before).toBe(3);
      expect(await breakerState(stack.metrics)).toBe(2);

      // Open: answered without waiting, without a request, and the other subgraph's part still there.
      const skipped = await ask(stack.gateway);
      expect(skipped.response.status).toBe(200);
      expect(skipped.response.body).toEqual(unavailable(UNAVAILABLE));
      expect(skipped.ms).toBeLessThan(250);
      expect(front.received - before).toBe(3);

      // Up again: after the half-open delay one request tries it, and it is used from then on.
      front.mode = 'up';
      await new Promise((resolve) => setTimeout(resolve, 650));
      const again = await ask(stack.gateway);
      expect(again.response.body).toEqual({ data: { hello: 'hi', flaky: HIT } });
      expect(front.received - before).toBe(4);
      expect(await breakerState(stack.metrics)).toBe(0);
      expect((await ask(stack.gateway)).response.body).toEqual({ data: { hello: 'hi', flaky: HIT } });
      expect(front.received - before).toBe(5);
    }));

  it('counts a proxy answering 503 as no answer, and opens again when the trial request fails', () =>
    withStack({}, async (stack) => {
      front.mode = '503';
      const before = front.received;
      for (let i = 0; i < 3; i++) expect((await ask(stack.gateway)).response.body).toEqual(unavailable(UNAVAILABLE));
      expect(front.received - before).toBe(3);
      await ask(stack.gateway);
      expect(front.received - before).toBe(3);
      // Still down at the trial: one request, then skipped again for another delay.
      await new Promise((resolve) => setTimeout(resolve, 650));
      await ask(stack.gateway);
      await ask(stack.gateway);
      expect(front.received - before).toBe(4);
      expect(await breakerState(stack.metrics)).toBe(2);
    }));

  it('counts subscriptions’ connections too: a hung subgraph is skipped for subscriptions and queries alike, without connecting', () =>
    withStack({}, async (stack) => {
      front.mode = 'hang';
      const before = { received: front.received, upgrades: front.upgrades };
      const client = wsClient(stack.gateway.url.replace(/^http/, 'ws'));
      const subscribe = () => collect(client, 'subscription { ticks }');
      const ended = [{ data: { ticks: null }, errors: [expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })] }];
      try {
        // Each waits out the handshake (the subgraph timeout), and counts as a request without an answer.
        for (let i = 0; i < 3; i++) expect(await subscribe()).toEqual(ended);
        expect(front.upgrades - before.upgrades).toBe(3);
        expect(await breakerState(stack.metrics)).toBe(2);
        // Open: ended at once, without a connection; and the subgraph's query fields are skipped too.
        expect(await subscribe()).toEqual(ended);
        expect((await ask(stack.gateway)).response.body).toEqual(unavailable(UNAVAILABLE));
        expect(front.upgrades - before.upgrades).toBe(3);
        expect(front.received - before.received).toBe(0);
      } finally {
        await client.dispose();
      }
    }));

  it('never skips a subgraph that answers, even with errors', () =>
    withStack({}, async (stack) => {
      front.mode = 'graphql-error';
      const before = front.received;
      for (let i = 0; i < 5; i++) {
        const { response } = await ask(stack.gateway);
        expect(response.body.data).toEqual({ hello: 'hi', flaky: null });
        expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['FLAKY_REFUSED']);
      }
      expect(front.received - before).toBe(5);
      expect(await breakerState(stack.metrics)).toBe(0);
    }));

  it('calls a failing subgraph every time when GATEWAY_SUBGRAPH_BREAKER_FAILURES is 0', () =>
    withStack({ subgraphBreakerFailures: 0 }, async (stack) => {
      front.mode = '503';
      const before = front.received;
      for (let i = 0; i < 5; i++) expect((await ask(stack.gateway)).response.body).toEqual(unavailable(UNAVAILABLE));
      expect(front.received - before).toBe(5);
    }));
});
