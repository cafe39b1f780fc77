/**
 * Stands in for the audit's src/subgraph.ts, which serves each subgraph with graphql-yoga under fets:
 * here a subgraph is only its spec, and ../audit-harness.ts serves it.
 */
export interface AuditSubgraph {
  readonly name: string;
  readonly typeDefs: string;
  /** A resolver map for @apollo/subgraph's buildSubgraphSchema, as the audit wrote it. */
  readonly resolvers: unknown;
}

export function createSubgraph(name: string, schemaParameters: { typeDefs: string; resolvers: unknown }): AuditSubgraph {
  return { name, typeDefs: schemaParameters.typeDefs, resolvers: schemaParameters.resolvers };
}
