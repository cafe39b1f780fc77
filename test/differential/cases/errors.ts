/**
 * Failures: resolvers that throw (nullable, non-null, one entity of a list), a subgraph that refuses a whole
 * request (an argument its scalar rejects), and a subgraph that is down.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { fed, type DifferentialCase, type SubgraphSpec } from '../harness.ts';

const THINGS = ['t1', 't2', 't3'].map((id) => ({ id, name: id.toUpperCase() }));

const resolverErrors: DifferentialCase = {
  name: 'resolver-errors',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'main',
      typeDefs: fed(
        ['@key'],
        `type Query { things: [Thing!] looseThings: [Thing] holder: Holder boom: String mustBoom: String! }
         type Holder { ok: String! strict: String! loose: String }
         type Thing @key(fields: "id") { id: ID! name: String! nickname: String }`,
      ),
      resolvers: {
        Query: {
          things: () => THINGS,
          looseThings: () => THINGS,
          holder: () => ({}),
          boom: () => {
            throw new Error('boom');
          },
          mustBoom: () => {
            throw new Error('must boom');
          },
        },
        Holder: {
          ok: () => 'ok',
          strict: () => {
            throw new Error('strict');
          },
          loose: () => {
            throw new Error('loose');
          },
        },
        Thing: {
          nickname: ({ id }: { id: string }) => {
            if (id === 't2') throw new Error('no nickname');
            return `${id}-nick`;
          },
        },
      },
    },
    {
      name: 'details',
      typeDefs: fed(
        ['@key'],
        `type Query { calm: String }
         type Thing @key(fields: "id") { id: ID! detail: String strictDetail: String! }`,
      ),
      resolvers: {
        Query: { calm: () => 'calm' },
        Thing: {
          // Asynchronous, so that only this representation fails, not the whole `_entities` list.
          __resolveReference: async ({ id }: { id: string }) => {
            if (id === 't2') throw new Error('cannot load t2');
            return { id };
          },
          detail: ({ id }: { id: string }) => `detail of ${id}`,
          strictDetail: ({ id }: { id: string }) => {
            if (id === 't3') throw new Error('no strict detail for t3');
            return `strict detail of ${id}`;
          },
        },
      },
    },
    {
      name: 'flaky',
      typeDefs: fed(['@key'], 'type Thing @key(fields: "id") { id: ID! mood: String }'),
      resolvers: {
        Thing: {
          // Synchronous: @apollo/subgraph fails the whole `_entities` list (the subgraph answers `_entities: null`).
          __resolveReference: ({ id }: { id: string }) => {
            if (id === 't2') throw new Error('flaky batch');
            return { id };
          },
          mood: () => 'fine',
        },
      },
    },
  ],
  operations: [
    { name: 'nullable field throws for one item', query: '{ things { id nickname } }', errors: true },
    { name: 'non-null field throws: null bubbles to the nullable parent', query: '{ holder { ok strict } calm }', errors: true },
    { name: 'nullable field throws next to a non-null sibling', query: '{ holder { ok loose } }', errors: true },
    { name: 'nullable root field throws next to a root field of another subgraph', query: '{ boom calm }', errors: true },
    { name: 'non-null root field throws: data is null', query: '{ mustBoom calm }', errors: true },
    { name: 'entity fetch fails for one representation of a list', query: '{ things { id name detail } }', errors: true },
    { name: 'non-null entity field fails in a list of nullable items', query: '{ looseThings { id strictDetail } }', errors: true },
    { name: 'non-null entity field fails in a list of non-null items', query: '{ things { id strictDetail } calm }', errors: true },
    {
      name: 'entity fetch fails for the whole list',
      query: '{ things { id mood detail } }',
      errors: true,
      apolloDeviation: {
        why: 'Apollo reports the failed fetch at ["things","@","_entities"], a planner path that is not a response path; as for one failed representation, each entity of the failed fetch is the error path',
        errorPaths: [['things', 0], ['things', 1], ['things', 2]],
      },
    },
  ],
};

const POSTS = [
  { id: 'p1', title: 'First' },
  { id: 'p2', title: 'Second' },
];

const DOWN =
  'Apollo reports a subgraph it cannot reach with an error without a path, although the error belongs to the fields that fetch should have filled (GraphQL spec, 7.1.2: an error that can be associated with a field must have its path)';

const subgraphDown: DifferentialCase = {
  name: 'subgraph-down',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'up',
      typeDefs: fed(
        ['@key'],
        `type Query { posts: [Post!] hello: String }
         type Post @key(fields: "id") { id: ID! title: String! }`,
      ),
      resolvers: {
        Query: { posts: () => POSTS, hello: () => 'hello' },
        Post: { __resolveReference: ({ id }: { id: string }) => POSTS.find((p) => p.id === id) ?? null },
      },
    },
    {
      name: 'down',
      down: true,
      typeDefs: fed(
        ['@key'],
        `type Query { trending: [Post!] status: String }
         type Post @key(fields: "id") { id: ID! likes: Int score: Int! }`,
      ),
      resolvers: {},
    },
  ],
  operations: [
    { name: 'only the subgraph that is up', query: '{ posts { id title } hello }' },
    {
      name: 'nullable entity field from the subgraph that is down',
      query: '{ posts { title likes } }',
      errors: true,
      // Each field the failed fetch would have filled, in each entity.
      apolloDeviation: { why: DOWN, errorPaths: [['posts', 0, 'likes'], ['posts', 1, 'likes']] },
    },
    {
      name: 'root field of the subgraph that is down next to one that is up',
      query: '{ hello status }',
      errors: true,
      apolloDeviation: { why: DOWN, errorPaths: [['status']] },
    },
    {
      name: 'root list of the subgraph that is down',
      query: '{ trending { id title } hello }',
      errors: true,
      apolloDeviation: { why: DOWN, errorPaths: [['trending']] },
    },
    {
      name: 'non-null entity field from the subgraph that is down',
      query: '{ posts { id score } hello }',
      errors: true,
      apolloDeviation: { why: DOWN, errorPaths: [['posts', 0, 'score'], ['posts', 1, 'score']] },
    },
  ],
};

/** A scalar only the subgraph knows how to read: the gateway passes its values through, the subgraph refuses bad ones. */
const Stamp = new GraphQLScalarType({
  name: 'Stamp',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new GraphQLError('Stamp must be an ISO-8601 string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) throw new GraphQLError('Stamp must be an ISO-8601 string');
    return ast.value;
  },
});

/** The subgraph answers a request it refuses with errors without a path and no data (GraphQL over HTTP). */
const subgraphRefusesRequest: DifferentialCase = {
  name: 'subgraph-refuses-request',
  subgraphs: (): SubgraphSpec[] => [
    {
      name: 'clock',
      typeDefs: fed([], 'scalar Stamp\ntype Query { at(when: Stamp!): String! maybeAt(when: Stamp!): String }'),
      resolvers: { Stamp, Query: { at: (_: unknown, { when }: { when: string }) => `at ${when}`, maybeAt: (_: unknown, { when }: { when: string }) => `maybe at ${when}` } },
    },
    {
      name: 'calm',
      typeDefs: fed([], 'type Query { calm: String }'),
      resolvers: { Query: { calm: () => 'calm' } },
    },
  ],
  operations: [
    { name: 'a good value', query: '{ at(when: "2026-01-01T00:00:00Z") calm }' },
    { name: 'non-null root field, literal the subgraph refuses', query: '{ at(when: "garbage") calm }', errors: true },
    { name: 'nullable root field, literal the subgraph refuses', query: '{ maybeAt(when: "garbage") calm }', errors: true },
    { name: 'non-null root field, variable the subgraph refuses', query: 'query ($w: Stamp!) { at(when: $w) calm }', variables: { w: 'garbage' }, errors: true },
  ],
};

export const errorCases: readonly DifferentialCase[] = [resolverErrors, subgraphRefusesRequest, subgraphDown];
