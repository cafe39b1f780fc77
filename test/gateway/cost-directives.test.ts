import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, getOperationAST, parse, visit, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { DEFAULT_LIMITS } from '../../gateway/limits.ts';
import { costRefusal, estimateOperationCost } from '../../gateway/operation-cost.ts';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-client.ts';
import { startGatewayFor } from '../support/test-gateway.ts';

/**
 * Federation 2.9's demand control directives, as a subgraph migrating from Apollo Router or Hive Router
 * carries them. Each operation below crosses the cost limit (10000) only because of one directive: the
 * same supergraph composed without them runs it.
 */
const SHOP_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
type Query {
  products(first: Int = 10): [Product!]!
  catalog: [Item!]! @listSize(assumedSize: 2000)
  feed(count: Int): [Item!]! @listSize(slicingArguments: ["count"], requireOneSlicingArgument: false)
  shelf(count: Int): Shelf @listSize(slicingArguments: ["count"], sizedFields: ["items"])
}
type Product @key(fields: "id") {
  id: ID!
  price: Int @cost(weight: 30)
  similar(text: String @cost(weight: 40)): [Item!]!
}
type Item { id: ID! tags: [Tag!]! }
type Tag { name: String! }
type Shelf { items: [Item!]! recent: [Item!]! }`;

/** The same subgraph without @cost and @listSize: what the gateway estimated before it read them. */
function withoutCostDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive: (node) => (node.name.value === 'cost' || node.name.value === 'listSize' ? null : undefined),
  });
}

const count = (n: number) => Array.from({ length: n }, (_, i) => i);
const items = (n: number) => count(n).map((i) => ({ id: `i${i}` }));
const resolvers = {
  Query: {
    products: (_: unknown, { first }: { first: number }) => count(first).map((i) => ({ id: `p${i}`, price: i })),
    catalog: () => items(3),
    feed: (_: unknown, { count: n }: { count?: number }) => items(n ?? 3),
    shelf: (_: unknown, { count: n }: { count?: number }) => ({ n: n ?? 3 }),
  },
  Product: { similar: () => items(2) },
  Item: { tags: () => [{ name: 'tag' }] },
  Shelf: { items: ({ n }: { n: number }) => items(n), recent: () => items(1) },
};

let subgraphRequests = 0;
const counting: ApolloServerPlugin = {
  async requestDidStart() {
    subgraphRequests++;
  },
};

let subgraph: ApolloServer;
let withDirectives: Awaited<ReturnType<typeof startGatewayFor>>;
let withoutDirectives: Awaited<ReturnType<typeof startGatewayFor>>;
let ws: Client;
beforeAll(async () => {
  subgraph = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(SHOP_SDL), resolvers }]), plugins: [ApolloServerPluginInlineTraceDisabled(), counting] });
  const { url } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });
  const compose = (typeDefs: DocumentNode) => {
    const composed = composeSupergraph([{ name: 'shop', url, typeDefs }]);
    if (!composed.ok) throw new Error(composed.problems.join('\n'));
    return composed.supergraphSdl;
  };
  withDirectives = await startGatewayFor(compose(parse(SHOP_SDL)), { defaultAccess: 'public' });
  withoutDirectives = await startGatewayFor(compose(withoutCostDirectives(parse(SHOP_SDL))), { defaultAccess: 'public' });
  ws = createClient({ url: withDirectives.gateway.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await ws?.dispose();
  await withDirectives?.close();
  await withoutDirectives?.close();
  await subgraph?.stop();
});
beforeEach(() => {
  subgraphRequests = 0;
});

const tooCostly = (estimated: number) => ({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated, max: DEFAULT_LIMITS.maxCost } });

/** Refused by the gateway with the directives, before any subgraph call. */
async function expectRefused(query: string, extensions: Record<string, unknown>, variables?: Record<string, unknown>) {
  subgraphRequests = 0;
  const response = await postGraphQL(withDirectives.gateway.url, query, variables);
  expect(response.status).toBe(400);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]!.extensions).toEqual(extensions);
  expect(subgraphRequests).toBe(0);
}

async function expectRuns(gateway: { gateway: { url: string } }, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await postGraphQL(gateway.gateway.url, query, variables);
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response;
}

describe('the cost limit honours the supergraph’s @cost and @listSize', () => {
  it('keeps the directives through composition into the supergraph', async () => {
    const composed = composeSupergraph([{ name: 'shop', url: 'http://shop', typeDefs: parse(SHOP_SDL) }]);
    expect(composed.ok && composed.supergraphSdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1"/);
    expect(composed.ok && composed.supergraphSdl).toContain('price: Int @cost(weight: 30)');
  });

  it('@cost on a field: each item costs its weight', async () => {
    // 400 products × (1 + price 30) = 12400; without the weight 400 × 1.
    const query = '{ products(first: 400) { id price } }';
    await expectRefused(query, tooCostly(12400));
    await expectRuns(withoutDirectives, query);
  });

  it('@cost on an argument: its weight counts when the operation gives it', async () => {
    // 300 × (1 + 5 similar items + 40 for `text`) = 13800; without it 300 × 6.
    const query = '{ products(first: 300) { similar(text: "lamp") { id } } }';
    await expectRefused(query, tooCostly(13800));
    await expectRuns(withoutDirectives, query);
    // Not given, it costs nothing: 300 × 6.
    await expectRuns(withDirectives, '{ products(first: 300) { similar { id } } }');
  });

  it('@listSize(assumedSize:) sizes a list no argument sizes', async () => {
    // 2000 × (1 + 5 tags) = 12000; without it the default 5 × 6.
    const query = '{ catalog { id tags { name } } }';
    await expectRefused(query, tooCostly(12000));
    await expectRuns(withoutDirectives, query);
  });

  it('@listSize(slicingArguments:) sizes a list by an argument the heuristic does not know, in the query or its variables', async () => {
    // 2000 × 6 = 12000; `count` is no page-size argument to the heuristic, which assumes 5.
    const query = '{ feed(count: 2000) { id tags { name } } }';
    await expectRefused(query, tooCostly(12000));
    await expectRuns(withoutDirectives, query);
    const byVariable = 'query ($n: Int) { feed(count: $n) { id tags { name } } }';
    await expectRefused(byVariable, tooCostly(12000), { n: 2000 });
    const small = await expectRuns(withDirectives, byVariable, { n: 4 });
    expect(small.body.data).toEqual({ feed: items(4).map((item) => ({ ...item, tags: [{ name: 'tag' }] })) });
  });

  it('@listSize(sizedFields:) sizes the named lists of the object a field returns, and only those', async () => {
    // 1 + 2000 items × 6 + 5 `recent` × 1 = 12006: `recent` is not a sized field.
    await expectRefused('{ shelf(count: 2000) { items { id tags { name } } recent { id } } }', tooCostly(12006));
    await expectRuns(withoutDirectives, '{ shelf(count: 2000) { items { id tags { name } } recent { id } } }');
    // Only `recent` selected: 1 + 5, however big the page.
    await expectRuns(withDirectives, '{ shelf(count: 2000) { recent { id } } }');
  });

  it('refuses a @listSize field given none of its slicing arguments when it requires one, as Apollo Router and Hive Router do', async () => {
    const query = '{ shelf { items { id } } }';
    const response = await postGraphQL(withDirectives.gateway.url, query);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: 'Query.shelf needs exactly one of its slicing arguments (count) to size its list; the operation gives 0.',
        extensions: { code: 'COST_INVALID_SLICING_ARGUMENTS', slicing: { field: 'Query.shelf', slicingArguments: ['count'], found: 0 } },
      },
    ]);
    expect(subgraphRequests).toBe(0);
    await expectRuns(withoutDirectives, query);
    const given = await expectRuns(withDirectives, '{ shelf(count: 2) { items { id } } }');
    expect(given.body.data).toEqual({ shelf: { items: items(2) } });
  });

  it('is the same over WebSocket', async () => {
    const refused = await new Promise<unknown>((resolve) => {
      ws.subscribe({ query: '{ catalog { id tags { name } } }' }, { next: () => resolve('ran'), error: resolve, complete: () => resolve('completed') });
    });
    expect(refused).toEqual([expect.objectContaining({ extensions: tooCostly(12000) })]);
    expect(subgraphRequests).toBe(0);
  });
});

describe('the estimate, with directives in the schema’s own SDL', () => {
  const COST_SPEC = `
    directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION`;
  const schema = buildSchema(
    `extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])
    ${COST_SPEC}
    type Query {
      books(first: Int = 10, last: Int): [Book!]! @listSize(slicingArguments: ["first", "last"])
      byIds(ids: [ID!]!): [Book!]! @listSize(slicingArguments: ["ids"])
      search(input: Search): [Book!]! @listSize(slicingArguments: ["input.page.size"], requireOneSlicingArgument: false)
      deep(first: Int): Deep @listSize(slicingArguments: ["first"], sizedFields: ["results { page }"])
      tagged: [Book!]!
    }
    type Deep { results: Results }
    type Results { page: [Book!]! }
    type Book @cost(weight: 4) { id: ID! genre: Genre isbn: Isbn }
    enum Genre @cost(weight: 2) { FICTION }
    scalar Isbn @cost(weight: 3)
    input Search { text: String @cost(weight: 7) page: Page filters: [Search!] }
    input Page { size: Int }`,
    { assumeValidSDL: true },
  );
  const document = (query: string) => {
    const parsed = parse(query);
    return { schema, document: parsed, operation: getOperationAST(parsed)!, variables: {} as Record<string, unknown> };
  };
  const estimate = (query: string, variables: Record<string, unknown> = {}) => estimateOperationCost({ ...document(query), variables });

  it('weighs types (objects, enums, scalars) per item', () => {
    expect(estimate('{ books(first: 2) { id } }')).toBe(2 * 4);
    expect(estimate('{ books(first: 2) { genre isbn } }')).toBe(2 * (4 + 2 + 3));
  });

  it('sizes by a given slicing argument, else its default; a list argument by its length; an input path', () => {
    expect(estimate('{ books { id } }')).toBe(10 * 4);
    expect(estimate('{ books(last: 3) { id } }')).toBe(3 * 4);
    expect(estimate('query ($n: Int) { books(last: $n) { id } }', { n: 6 })).toBe(6 * 4);
    expect(estimate('{ byIds(ids: ["a", "b"]) { id } }')).toBe(2 * 4);
    expect(estimate('query ($ids: [ID!]!) { byIds(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(3 * 4);
    expect(estimate('{ search(input: { page: { size: 9 } }) { id } }')).toBe(9 * 4);
    expect(estimate('query ($s: Search) { search(input: $s) { id } }', { s: { page: { size: 8 } } })).toBe(8 * 4);
  });

  it('refuses none or several slicing arguments where one is required', () => {
    const refusal = (query: string) => costRefusal(document(query), 10_000)?.extensions;
    expect(refusal('{ books(first: 2, last: 3) { id } }')).toEqual({ code: 'COST_INVALID_SLICING_ARGUMENTS', slicing: { field: 'Query.books', slicingArguments: ['first', 'last'], found: 2 } });
    expect(refusal('{ books(last: 3) { id } }')).toBeUndefined();
    // Not required: none given leaves the default size.
    expect(refusal('{ search { id } }')).toBeUndefined();
    expect(estimate('{ search { id } }')).toBe(5 * 4);
  });

  it('adds the weights of input fields given, in lists of input objects too', () => {
    expect(estimate('{ search(input: { text: "a", filters: [{ text: "b" }, { text: "c" }] }) { id } }')).toBe(5 * 4 + 3 * 7);
    expect(estimate('query ($s: Search) { search(input: $s) { id } }', { s: { text: 'a' } })).toBe(5 * 4 + 7);
  });

  it('follows a nested sizedFields path', () => {
    expect(estimate('{ deep(first: 50) { results { page { id } } } }')).toBe(1 + 1 + 50 * 4);
  });

  it('reads the directives under the names the cost spec link gives them', () => {
    const renamed = buildSchema(
      `extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price", import: [{ name: "@listSize", as: "@size" }])
      directive @price(weight: Int!) on OBJECT
      directive @size(assumedSize: Int) on FIELD_DEFINITION
      directive @cost(weight: Int!) on OBJECT
      type Query { books: [Book!]! @size(assumedSize: 7) other: [Other!]! }
      type Book @price(weight: 3) { id: ID! }
      type Other @cost(weight: 100) { id: ID! }`,
      { assumeValidSDL: true },
    );
    const query = parse('{ books { id } other { id } }');
    // A @cost of no linked spec is not ours: Other costs 1, as before.
    expect(estimateOperationCost({ schema: renamed, document: query, operation: getOperationAST(query)!, variables: {} })).toBe(7 * 3 + 5 * 1);
  });

  it('ignores @cost and @listSize without a link to the cost spec', () => {
    const unlinked = buildSchema(`${COST_SPEC} type Query { books: [Book!]! @listSize(assumedSize: 7) } type Book @cost(weight: 3) { id: ID! }`);
    const query = parse('{ books { id } }');
    expect(estimateOperationCost({ schema: unlinked, document: query, operation: getOperationAST(query)!, variables: {} })).toBe(5);
  });
});
