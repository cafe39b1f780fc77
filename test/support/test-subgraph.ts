import { parse } from 'graphql';
import type { BaseContext, Subgraph } from '../../kit/subgraph.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { Logger } from '../../kit/logger.ts';

/**
 * A small subgraph that is not one of ours, for testing the gateway as a general federation gateway:
 * a recursive type (for depth limits) and a subscription (for the WebSocket path to subgraphs).
 */
export const TEST_SUBGRAPH_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Node @key(fields: "id") {
    id: ID!
    child: Node
    requestId: String
  }
  type Query {
    node(id: ID!): Node
    echo(text: String!): String!
    "Who the subgraph was told is calling (the subject of the gateway's signed principal), or null."
    whoami: String
    "A number only \`increment\` changes: for tests of what a mutation makes the gateway forget."
    counter: Int!
  }
  type Mutation {
    increment: Int!
  }
  type Subscription {
    countdown(from: Int!): Int!
    "Who the subgraph was told is calling this one subscription."
    whoamiLive: String
    "As many events of \`size\` characters as fast as they can go: for slow-consumer tests."
    flood(count: Int!, size: Int!): String!
    "Never sends an event: for tests of clients that leave a quiet subscription."
    quiet: String
  }
`;

/** What the test subgraph saw: subscriptions it actually started, for proving that refused ones never arrive. */
export interface TestSubgraphStats {
  subscriptionsStarted: number;
  /** Times \`counter\` was resolved: a query answered by the gateway's response cache never gets here. */
  counterReads?: number;
  /** \`quiet\` subscriptions open here now (ended when the gateway completes them). */
  quietOpen?: number;
}

export function createTestSubgraph(logger: Logger, stats: TestSubgraphStats = { subscriptionsStarted: 0 }): Subgraph<BaseContext> {
  const subject = (context: BaseContext) => (context.caller.kind === 'user' ? context.caller.principal.subject : null);
  let counter = 0;
  return {
    name: 'nodes',
    typeDefs: parse(TEST_SUBGRAPH_SDL),
    resolvers: {
      Query: {
        node: (_: unknown, { id }: { id: string }) => {
          // A library error whose message names an internal host: must never reach a client.
          if (id === 'explode') throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
          return { id };
        },
        echo: (_: unknown, { text }: { text: string }) => text,
        whoami: (_: unknown, __: unknown, context: BaseContext) => subject(context),
        counter: () => {
          stats.counterReads = (stats.counterReads ?? 0) + 1;
          return counter;
        },
      },
      Mutation: {
        increment: () => ++counter,
      },
      Node: {
        child: ({ id }: { id: string }) => ({ id: `${id}.1` }),
        requestId: (_: unknown, __: unknown, context: { requestId: string }) => context.requestId,
      },
      Subscription: {
        countdown: {
          async *subscribe(_: unknown, { from }: { from: number }) {
            stats.subscriptionsStarted++;
            for (let n = from; n >= 0; n--) yield { countdown: n };
          },
        },
        flood: {
          async *subscribe(_: unknown, { count, size }: { count: number; size: number }) {
            stats.subscriptionsStarted++;
            const payload = 'x'.repeat(size);
            for (let n = 0; n < count; n++) yield { flood: payload };
          },
        },
        quiet: {
          // An iterator, not a generator: its return() must end it while it waits (a generator's would queue).
          subscribe() {
            stats.subscriptionsStarted++;
            stats.quietOpen = (stats.quietOpen ?? 0) + 1;
            let end = () => {};
            const ended = new Promise<IteratorResult<never>>((resolve) => (end = () => resolve({ done: true, value: undefined })));
            const iterator: AsyncIterableIterator<never> = {
              [Symbol.asyncIterator]: () => iterator,
              next: () => ended,
              async return() {
                stats.quietOpen = (stats.quietOpen ?? 1) - 1;
                end();
                return { done: true, value: undefined };
              },
            };
            return iterator;
          },
        },
        whoamiLive: {
          async *subscribe(_: unknown, __: unknown, context: BaseContext) {
            stats.subscriptionsStarted++;
            yield { whoamiLive: subject(context) };
          },
        },
      },
    },
    createContext: createContextFactory({ logger, createLoaders: () => ({}) }),
    health: async () => ({ ok: true }),
    close: async () => {},
  };
}
