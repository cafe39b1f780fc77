import { GraphQLBoolean, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLFieldConfig } from 'graphql';
import type { ProviderHealth } from '../health/readiness.ts';

/** What `providerStatus` answers: one entry per subgraph's provider (what `/health/ready` reports). */
export type ProviderStatusSource = () => Promise<Record<string, ProviderHealth>>;

const ProviderStatus = new GraphQLObjectType({
  name: 'ProviderStatus',
  description: 'One provider as its subgraph sees it: reachable or not, and its circuit breaker.',
  fields: {
    provider: { type: new GraphQLNonNull(GraphQLString) },
    ok: { type: new GraphQLNonNull(GraphQLBoolean), description: 'Whether the provider answered its health probe.' },
    breaker: { type: GraphQLString, description: '`closed`, `half-open` or `open` (calls are refused at once).' },
    latencyMs: { type: GraphQLInt },
    detail: { type: GraphQLString },
  },
});

/** The root field's name: its answer is live, so the response cache never keeps it. */
export const PROVIDER_STATUS_FIELD = 'providerStatus';

/** Whether the gateway's addition fits: a supergraph with its own `providerStatus` or `ProviderStatus` keeps them. */
export function canAddProviderStatus(schema: GraphQLSchema): boolean {
  return !schema.getQueryType()?.getFields()[PROVIDER_STATUS_FIELD] && !schema.getType(ProviderStatus.name);
}

/**
 * The supergraph with the gateway's own `Query.providerStatus` (admin only, see access rules), for
 * dashboards. Added to the executable schema rather than composed, since it is about the gateway itself.
 */
export function withProviderStatus(schema: GraphQLSchema, source: ProviderStatusSource): GraphQLSchema {
  const config = schema.toConfig();
  const query = schema.getQueryType();
  if (!query) return schema;
  const field: GraphQLFieldConfig<unknown, unknown> = {
    type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(ProviderStatus))),
    description: 'Each provider: reachable or not, and its circuit breaker. Admins only.',
    resolve: async () => Object.entries(await source()).map(([provider, health]) => ({ provider, ...health })),
  };
  const extended = new GraphQLObjectType({ ...query.toConfig(), fields: { ...query.toConfig().fields, [PROVIDER_STATUS_FIELD]: field } });
  return new GraphQLSchema({
    ...config,
    query: extended,
    types: [...config.types.filter((type) => type.name !== query.name), extended, ProviderStatus],
  });
}
