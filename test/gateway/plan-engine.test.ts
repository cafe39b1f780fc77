import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shieldRules } from '../../gateway/authorize/shield-rules.ts';
import { createPlanEngine, type PlanEngine } from '../../gateway/engine/plan-engine.ts';
import { createSupergraphPlanner, type SupergraphPlanner } from '../../gateway/engine/query-planner.ts';
import { createSubgraphHttp, type SubgraphHttp } from '../../gateway/engine/subgraph-http.ts';
import { createSubgraphStreams } from '../../gateway/engine/subgraph-websocket.ts';
import { subgraphEndpoints, parseSupergraph } from '../../gateway/engine/supergraph.ts';
import { PROVIDER_STATUS_FIELD, withProviderStatus } from '../../gateway/execute/provider-status.ts';
import { adminOnly, publicAccess } from '../../kit/access/access.ts';
import { UNRULED } from '../../gateway/authorize/policy.ts';
import { ANONYMOUS_CALLER } from '../../kit/access/principal.ts';
import { silentLogger } from '../../kit/logger.ts';
import { fed, type Resolvers } from '../differential/harness.ts';
import { testPrincipalTokens } from '../support/tokens.ts';

const requests = { products: 0, reviews: 0 };
const counting = (name: keyof typeof requests): ApolloServerPlugin => ({
  async requestDidStart() {
    requests[name]++;
  },
});

const subgraphs: { name: keyof typeof requests; typeDefs: string; resolvers: Resolvers }[] = [
  {
    name: 'products',
    typeDefs: fed(['@key'], 'type Query { products: [Product!]! secret: String } type Product @key(fields: "id") { id: ID! name: String! }'),
    resolvers: { Query: { products: () => [{ id: 'p1' }, { id: 'p2' }], secret: () => 'hidden' }, Product: { name: ({ id }: { id: string }) => `name of ${id}` } },
  },
  {
    name: 'reviews',
    typeDefs: fed(['@key'], 'type Product @key(fields: "id") { id: ID! reviews: [String!]! }'),
    resolvers: { Product: { reviews: ({ id }: { id: string }) => [`review of ${id}`] } },
  },
];

const servers: ApolloServer[] = [];
let engine: PlanEngine;
let http: SubgraphHttp;
let plans = 0;

beforeAll(async () => {
  const urls = new Map<string, string>();
  for (const spec of subgraphs) {
    const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(spec.typeDefs), resolvers: spec.resolvers }]), plugins: [ApolloServerPluginInlineTraceDisabled(), counting(spec.name)] });
    servers.push(server);
    urls.set(spec.name, (await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } })).url);
  }
  const composed = composeServices(subgraphs.map((spec) => ({ name: spec.name, url: urls.get(spec.name)!, typeDefs: parse(spec.typeDefs) })));
  if (!composed.supergraphSdl) throw new Error('the test supergraph does not compose');
  const planner = createSupergraphPlanner(composed.supergraphSdl);
  // The real planner, counted: what is observed is how often the engine asks for a plan.
  const counted: SupergraphPlanner = { apiSchema: planner.apiSchema, overrides: planner.overrides, plan: (document, name, override) => (plans++, planner.plan(document, name, override)) };
  const schema = withProviderStatus(planner.apiSchema, async () => ({ products: { ok: true } }));
  const endpoints = subgraphEndpoints(parseSupergraph(composed.supergraphSdl), {});
  const tokens = testPrincipalTokens();
  http = createSubgraphHttp({ endpoints, tokens });
  engine = createPlanEngine({
    planner: counted,
    schema,
    gatewayFields: new Set([PROVIDER_STATUS_FIELD]),
    rules: shieldRules({ Query: { products: publicAccess, secret: UNRULED, providerStatus: adminOnly } }),
    call: http.call,
    streams: createSubgraphStreams({ endpoints, tokens }),
  });
});

afterAll(async () => {
  await http?.close();
  await Promise.all(servers.map((server) => server.stop()));
});

async function run(query: string) {
  const document = parse(query);
  expect(validate(engine.schema, document)).toEqual([]);
  const result = await engine.execute({ cacheKey: query, document, operationName: undefined, variables: {}, context: { requestId: 'r1', caller: ANONYMOUS_CALLER, logger: silentLogger, stale: [] } });
  return JSON.parse(JSON.stringify(result)) as { data?: unknown; errors?: { path?: unknown; extensions?: { code?: string } }[] };
}

const reset = () => {
  requests.products = 0;
  requests.reviews = 0;
  plans = 0;
};

describe('the query-plan engine', () => {
  it('plans an operation once, then runs the cached plan: one request per subgraph each time', async () => {
    reset();
    const query = '{ products { id name reviews } }';
    for (let i = 0; i < 3; i++) {
      expect(await run(query)).toEqual({
        data: { products: [{ id: 'p1', name: 'name of p1', reviews: ['review of p1'] }, { id: 'p2', name: 'name of p2', reviews: ['review of p2'] }] },
      });
    }
    expect(plans).toBe(1);
    expect(requests).toEqual({ products: 3, reviews: 3 });
  });

  it('answers introspection and a root __typename itself, without a plan or a subgraph request', async () => {
    reset();
    const result = await run('{ __typename __schema { queryType { name } } __type(name: "Product") { fields { name } } }');
    expect(result.data).toEqual({
      __typename: 'Query',
      __schema: { queryType: { name: 'Query' } },
      __type: { fields: [{ name: 'id' }, { name: 'name' }, { name: 'reviews' }] },
    });
    expect(plans).toBe(0);
    expect(requests).toEqual({ products: 0, reviews: 0 });
  });

  it('removes a refused field before planning, and answers null with its error at its path', async () => {
    reset();
    const result = await run('{ secret products { id } }');
    expect(result.data).toEqual({ secret: null, products: [{ id: 'p1' }, { id: 'p2' }] });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['secret'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    expect(requests).toEqual({ products: 1, reviews: 0 });
  });

  it('costs no plan and no subgraph request when every root field is refused', async () => {
    reset();
    const result = await run('{ secret providerStatus { provider } }');
    // providerStatus is non-null: its refusal nulls the whole answer.
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions?.code).sort()).toEqual(['FORBIDDEN', 'UNAUTHENTICATED']);
    expect(plans).toBe(0);
    expect(requests).toEqual({ products: 0, reviews: 0 });
  });
});
