import type { ApolloArmor } from '@escape.tech/graphql-armor';

type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * What one operation may cost before it reaches a subgraph. Generous enough for real screens (a page of
 * 20 aliased objects, nested federation joins), tight enough that a crafted query cannot fan out into
 * thousands of provider calls. The same limits apply over HTTP and WebSocket.
 */
export const OPERATION_LIMITS = {
  maxDepth: 12,
  maxAliases: 50,
  maxDirectives: 50,
  maxTokens: 5000,
  costLimit: 10000,
  /** Bytes of a request body: documents and variables, never file contents (uploads go straight to storage). */
  maxBodyBytes: 256 * 1024,
} as const;

export function armorConfig(production: boolean): GraphQLArmorConfig {
  return {
    maxDepth: { n: OPERATION_LIMITS.maxDepth },
    maxAliases: { n: OPERATION_LIMITS.maxAliases },
    maxDirectives: { n: OPERATION_LIMITS.maxDirectives },
    // Armor's token plugin re-parses and answers a syntax error with a 500; graphql-js's parser enforces
    // the same limit through parseOptions (HTTP) and parse() (WebSocket) instead.
    maxTokens: { enabled: false },
    costLimit: { maxCost: OPERATION_LIMITS.costLimit },
    // Suggestions ("did you mean…") reveal the schema; off where introspection is off.
    blockFieldSuggestion: { enabled: production },
  };
}
