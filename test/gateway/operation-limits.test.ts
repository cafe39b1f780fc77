import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { DEFAULT_LIMITS } from '../../gateway/limits.ts';
import { estimateOperationCost } from '../../gateway/operation-cost.ts';
import { fed } from '../differential/harness.ts';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-client.ts';
import { startGatewayFor } from '../support/test-gateway.ts';

/**
 * A shop-like subgraph with the shapes that make answers big: a connection with a page size, lists with
 * page sizes (and schema defaults) below it, and a recursive field for depth. Every request it gets is
 * counted, to prove that refused operations never reach it.
 */
const SHOP_SDL = fed(
  ['@key'],
  `type Query { customers(first: Int = 10): CustomerConnection! }
   type CustomerConnection { nodes: [Customer!]! }
   type Customer @key(fields: "id") {
     id: ID!
     name: String!
     referrer: Customer
     repositories(first: Int = 10): [Repository!]!
     tweets(first: Int = 10): TweetConnection!
   }
   type Repository { name: String! }
   type TweetConnection { nodes: [Tweet!]! }
   type Tweet { text: String! }`,
);

const count = (n: number) => Array.from({ length: n }, (_, i) => i);
const resolvers = {
  Query: { customers: (_: unknown, { first }: { first: number }) => ({ nodes: count(first).map((i) => ({ id: `c${i}`, name: `Customer ${i}` })) }) },
  Customer: {
    referrer: ({ id }: { id: string }) => ({ id: `${id}.r`, name: 'Referrer' }),
    repositories: (_: unknown, { first }: { first: number }) => count(first).map((i) => ({ name: `repo ${i}` })),
    tweets: (_: unknown, { first }: { first: number }) => ({ nodes: count(first).map((i) => ({ text: `tweet ${i}` })) }),
  },
};

let subgraphRequests = 0;
const counting: ApolloServerPlugin = {
  async requestDidStart() {
    subgraphRequests++;
  },
};

let subgraph: ApolloServer;
let stack: Awaited<ReturnType<typeof startGatewayFor>>;
let ws: Client;
beforeAll(async () => {
  subgraph = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(SHOP_SDL), resolvers }]), plugins: [ApolloServerPluginInlineTraceDisabled(), counting] });
  const { url } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });
  const composed = composeSupergraph([{ name: 'shop', url, typeDefs: parse(SHOP_SDL) }]);
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  stack = await startGatewayFor(composed.supergraphSdl, { defaultAccess: 'public' });
  ws = createClient({ url: stack.gateway.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await ws?.dispose();
  await stack?.close();
  await subgraph?.stop();
});
beforeEach(() => {
  subgraphRequests = 0;
});

/** Over graphql-ws: every result, or the errors the gateway refused the operation with. */
function overWebSocket(query: string, variables?: Record<string, unknown>): Promise<{ results: FormattedExecutionResult<Record<string, unknown>, unknown>[] } | { refused: unknown }> {
  return new Promise((resolve) => {
    const results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
    ws.subscribe({ query, variables }, { next: (result) => results.push(result), error: (refused: unknown) => resolve({ refused }), complete: () => resolve({ results }) });
  });
}

const onlyError = (response: GraphQLResponse) => {
  expect(response.body.errors).toHaveLength(1);
  return response.body.errors![0]!;
};

// 100 customers × (100 repositories + 100 tweets): 1 + 100 × (1 + 100 + (1 + 100)) = 20201.
const FAN_OUT = '{ customers(first: 100) { nodes { repositories(first: 100) { name } tweets(first: 100) { nodes { text } } } } }';
const FAN_OUT_BY_VARIABLES = 'query ($n: Int) { customers(first: $n) { nodes { repositories(first: $n) { name } tweets(first: $n) { nodes { text } } } } }';
const TOO_COSTLY = { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 20201, max: DEFAULT_LIMITS.maxCost } };

describe('the cost limit counts what lists return', () => {
  it('refuses a query fanning out over big pages, naming its estimated cost and the limit, before any subgraph call', async () => {
    const response = await postGraphQL(stack.gateway.url, FAN_OUT);
    expect(response.status).toBe(400);
    const error = onlyError(response);
    expect(error.extensions).toEqual(TOO_COSTLY);
    expect(error.message).toBe("The operation's estimated cost is 20201, above the maximum of 10000: ask for smaller pages or fewer nested lists.");
    expect(subgraphRequests).toBe(0);
  });

  it('takes page sizes from the variables: the same query is refused with 100 and runs with 5', async () => {
    const refused = await postGraphQL(stack.gateway.url, FAN_OUT_BY_VARIABLES, { n: 100 });
    expect(refused.status).toBe(400);
    expect(onlyError(refused).extensions).toEqual(TOO_COSTLY);
    expect(subgraphRequests).toBe(0);

    const small = await postGraphQL<{ customers: { nodes: { repositories: unknown[]; tweets: { nodes: unknown[] } }[] } }>(stack.gateway.url, FAN_OUT_BY_VARIABLES, { n: 5 });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data?.customers.nodes).toHaveLength(5);
    expect(small.body.data?.customers.nodes.every((c) => c.repositories.length === 5 && c.tweets.nodes.length === 5)).toBe(true);
  });

  it('takes a page size the request leaves out from the schema’s default', async () => {
    // customers default 10, repositories given 100: 1 + 10 × (1 + 100) = 1011 per alias, 10 aliases.
    const aliases = count(10).map((i) => `c${i}: customers { nodes { repositories(first: 100) { name } } }`).join(' ');
    const response = await postGraphQL(stack.gateway.url, `{ ${aliases} }`);
    expect(onlyError(response).extensions).toEqual({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 10110, max: 10000 } });
    expect(subgraphRequests).toBe(0);
  });

  it('runs a real screen: a page of 100 customers, each with 5 repositories and 5 tweets', async () => {
    const response = await postGraphQL<{ customers: { nodes: unknown[] } }>(
      stack.gateway.url,
      '{ customers(first: 100) { nodes { id name repositories(first: 5) { name } tweets(first: 5) { nodes { text } } } } }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.customers.nodes).toHaveLength(100);
  });

  it('answers a page size that is no Int at all (beyond 32 bits) as the variable error it is, not as a cost, over HTTP and WebSocket', async () => {
    const n = 2 ** 40;
    const response = await postGraphQL(stack.gateway.url, FAN_OUT_BY_VARIABLES, { n });
    expect(response.status).toBe(400);
    const error = onlyError(response);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(error.message).toMatch(/^Variable "\$n" got invalid value 1099511627776; Int cannot represent non 32-bit signed integer value/);
    const overWs = await overWebSocket(FAN_OUT_BY_VARIABLES, { n });
    expect(overWs).toEqual({ results: [{ errors: [expect.objectContaining({ message: error.message, extensions: { code: 'BAD_USER_INPUT' } })] }] });
    expect(subgraphRequests).toBe(0);
  });

  it('is the same over WebSocket, variables included', async () => {
    const refused = await overWebSocket(FAN_OUT_BY_VARIABLES, { n: 100 });
    expect(refused).toEqual({ refused: [expect.objectContaining({ message: expect.stringContaining('estimated cost is 20201, above the maximum of 10000'), extensions: TOO_COSTLY })] });
    expect(subgraphRequests).toBe(0);

    const small = await overWebSocket(FAN_OUT_BY_VARIABLES, { n: 2 });
    expect(small).toEqual({ results: [{ data: { customers: { nodes: count(2).map(() => ({ repositories: [{ name: 'repo 0' }, { name: 'repo 1' }], tweets: { nodes: [{ text: 'tweet 0' }, { text: 'tweet 1' }] } })) } } }] });
  });
});

describe('depth, alias and validation refusals say what is wrong, plainly', () => {
  const deep = `{ customers(first: 1) { nodes { ${'referrer { '.repeat(14)} id ${'} '.repeat(14)} } } }`;
  const aliased = `{ customers(first: 1) { nodes { ${count(60).map((i) => `n${i}: name`).join(' ')} } } }`;
  const typenames = `{ ${'__typename '.repeat(1000)} }`;

  it('over HTTP', async () => {
    const depth = onlyError(await postGraphQL(stack.gateway.url, deep));
    expect(depth).toEqual({ message: 'Query depth limit of 12 exceeded, found 17.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const aliases = onlyError(await postGraphQL(stack.gateway.url, aliased));
    expect(aliases).toEqual({ message: 'Aliases limit of 50 exceeded, found 60.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const repeated = await postGraphQL(stack.gateway.url, typenames);
    expect(repeated.status).toBe(400);
    expect(onlyError(repeated)).toEqual({
      message: 'The operation is too complex to validate: it repeats the same fields or fragments too many times.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(subgraphRequests).toBe(0);
  });

  it('over WebSocket', async () => {
    const refusal = (message: string) => ({ refused: [expect.objectContaining({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] });
    expect(await overWebSocket(deep)).toEqual(refusal('Query depth limit of 12 exceeded, found 17.'));
    expect(await overWebSocket(aliased)).toEqual(refusal('Aliases limit of 50 exceeded, found 60.'));
    expect(await overWebSocket(typenames)).toEqual(refusal('The operation is too complex to validate: it repeats the same fields or fragments too many times.'));
    expect(subgraphRequests).toBe(0);
  });
});

describe('the estimate', () => {
  const schema = buildSchema(`
    type Query { shelf(first: Int): Shelf, tags: [String!]!, items(limit: Int): [Item!]! }
    type Mutation { touch: Item }
    type Shelf { items: [Item!]! pageInfo: PageInfo! }
    type PageInfo { more: Boolean! }
    type Item { name: String! parts: [Item!]! }
  `);
  const estimate = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    return estimateOperationCost({ schema, document, operation: getOperationAST(document)!, variables });
  };

  it('counts objects, not scalars, and multiplies by list sizes, nested lists by each other', () => {
    expect(estimate('{ tags __typename }')).toBe(0);
    // A list no argument sizes is assumed to hold 5.
    expect(estimate('{ items { name } }')).toBe(5);
    expect(estimate('{ items(limit: 3) { parts { parts { name } } } }')).toBe(3 * (1 + 5 * (1 + 5)));
  });

  it('sizes a connection’s lists by its page size; fragments count like fields; a mutation costs 10 more', () => {
    expect(estimate('{ shelf(first: 40) { items { name } pageInfo { more } } }')).toBe(1 + 40 + 1);
    expect(estimate('query ($n: Int = 7) { shelf(first: $n) { ...I } } fragment I on Shelf { items { name } }')).toBe(1 + 7);
    expect(estimate('query ($n: Int = 7) { shelf(first: $n) { items { name } } }', { n: 2 })).toBe(1 + 2);
    expect(estimate('mutation { touch { parts { name } } }')).toBe(10 + 1 + 5);
  });

  it('leaves out what @skip and @include leave out, by literal or variable, and counts a condition it cannot tell', () => {
    const query = 'query ($big: Boolean!) { shelf(first: 100) @include(if: $big) { items { name } } items(limit: 2) { name } }';
    expect(estimate(query, { big: true })).toBe(1 + 100 + 2);
    expect(estimate(query, { big: false })).toBe(2);
    expect(estimate('query ($s: Boolean = true) { items(limit: 2) { ... on Item @skip(if: $s) { parts { name } } } }')).toBe(2);
    expect(estimate('query ($s: Boolean = true) { items(limit: 2) { ... on Item @skip(if: $s) { parts { name } } } }', { s: false })).toBe(2 * (1 + 5));
    expect(estimate('{ items(limit: 2) { ...P @skip(if: true) } } fragment P on Item { parts { name } }')).toBe(2);
    expect(estimate('{ items(limit: 2) @include(if: true) @skip(if: false) { name } }')).toBe(2);
    expect(estimate('query ($s: Boolean!) { items(limit: 2) @skip(if: $s) { name } }')).toBe(2);
  });
});
