import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { createContextFactory } from '../../kit/context.ts';
import { createLogger } from '../../kit/logger.ts';
import type { BaseContext, Subgraph } from '../../kit/subgraph.ts';
import { startSubgraphServer } from '../../kit/subgraph-server.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { testPrincipalTokens } from '../support/tokens.ts';
import { collect, subscribe, wsClient } from '../support/ws-client.ts';

const LIVE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    hello: String
    "Answers when the test releases it: a request in flight across a reload."
    slow: String
  }
  type Subscription {
    "One event each time the test ticks."
    ticks: Int!
  }
`;
const EXTRA_SDL = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { world: String }';

/** A subgraph whose slow answer and subscription events the test controls. */
function liveSubgraph(logger: ReturnType<typeof createLogger>) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const waiting: ((tick: number) => void)[] = [];
  let started = 0;
  const subgraph: Subgraph<BaseContext> = {
    name: 'live',
    typeDefs: parse(LIVE_SDL),
    resolvers: {
      Query: {
        hello: () => 'hello',
        slow: async () => {
          started += 1;
          await released;
          return 'done';
        },
      },
      Subscription: {
        ticks: {
          async *subscribe() {
            for (;;) yield { ticks: await new Promise<number>((resolve) => waiting.push(resolve)) };
          },
        },
      },
    },
    createContext: createContextFactory({ logger, createLoaders: () => ({}) }),
    health: async () => ({ ok: true }),
    close: async () => {},
  };
  return {
    subgraph,
    release: () => release(),
    slowStarted: () => started > 0,
    /** Sends one event to every open subscription; false when none is listening yet. */
    tick(n: number) {
      const listeners = waiting.splice(0);
      for (const listener of listeners) listener(n);
      return listeners.length > 0;
    },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const closers: (() => Promise<void>)[] = [];
const logger = createLogger({ level: 'silent', name: 'reload' });
const live = liveSubgraph(logger);
let gateway: RunningGateway;
let v1: string;
let v2: string;

beforeAll(async () => {
  const liveServer = await startSubgraphServer({ subgraph: live.subgraph, host: '127.0.0.1', port: 0, logger, tokens: testPrincipalTokens() });
  closers.push(() => liveServer.close());
  const extra = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(EXTRA_SDL), resolvers: { Query: { world: () => 'world' } } }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const extraUrl = (await startStandaloneServer(extra, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => extra.stop());
  const compose = (subgraphs: { name: string; url: string; sdl: string }[]) => {
    const composed = composeSupergraph(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
    if (!composed.ok) throw new Error(composed.problems.join('\n'));
    return composed.supergraphSdl;
  };
  v1 = compose([{ name: 'live', url: liveServer.url, sdl: LIVE_SDL }]);
  v2 = compose([
    { name: 'live', url: liveServer.url, sdl: LIVE_SDL },
    { name: 'extra', url: extraUrl, sdl: EXTRA_SDL },
  ]);
  const started = await startGatewayFor(v1, {
    logger,
    defaultAccess: 'public',
  });
  gateway = started.gateway;
  closers.push(() => started.close());
});

afterAll(async () => {
  live.release();
  for (const close of closers.reverse()) await close();
});

describe('reloading the supergraph', () => {
  it('serves the new one at once, while requests in flight and open subscriptions carry on', async () => {
    const client = wsClient(gateway.wsUrl);
    try {
      const events = subscribe(client, 'subscription { ticks }');
      let ended = false;
      void events.ended.then(() => (ended = true));
      await until(() => live.tick(1), 'the subscription reaches the subgraph');
      await events.waitFor(1);
      const inFlight = postGraphQL(gateway.url, '{ hello slow }');
      await until(live.slowStarted, 'the slow request reaches the subgraph');
      expect(errorsOf(await postGraphQL(gateway.url, '{ world }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

      expect(await gateway.reload(v2)).toBe(true);
      expect((await postGraphQL(gateway.url, '{ hello world }')).body).toEqual({ data: { hello: 'hello', world: 'world' } });
      expect(gateway.subgraphEndpoints.has('extra')).toBe(true);
      // A new WebSocket operation is validated against the new schema too.
      const another = wsClient(gateway.wsUrl);
      try {
        expect(await collect(another, '{ world }')).toEqual([{ data: { world: 'world' } }]);
      } finally {
        await another.dispose();
      }

      live.release();
      expect((await inFlight).body).toEqual({ data: { hello: 'hello', slow: 'done' } });
      await until(() => live.tick(2), 'the subscription is still open upstream');
      await events.waitFor(2);
      expect(events.results.map((result) => result.data)).toEqual([{ ticks: 1 }, { ticks: 2 }]);
      expect(ended).toBe(false);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a supergraph it cannot serve, and keeps serving the one it has', async () => {
    await gateway.reload(v2);
    await expect(gateway.reload('type Query { hello: String }')).rejects.toThrow(/not a Federation v2 supergraph/);
    await expect(gateway.reload('not graphql at all {')).rejects.toThrow();
    expect((await postGraphQL(gateway.url, '{ world }')).body).toEqual({ data: { world: 'world' } });
    expect(await gateway.reload(v2)).toBe(false);
    // And back: the field goes away again.
    expect(await gateway.reload(v1)).toBe(true);
    expect(errorsOf(await postGraphQL(gateway.url, '{ world }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

const errorsOf = (response: Awaited<ReturnType<typeof postGraphQL>>) => (response.body.errors ?? []).map((error) => error.extensions?.['code']);

