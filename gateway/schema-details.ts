import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';

/**
 * What a client may learn about the schema from the gateway's own errors, the same on every transport
 * (HTTP, WebSocket, any added later). In production: no introspection unless enabled, and no "Did you
 * mean …?" hints, which spell out field names, types and enum values a client did not know.
 */
export interface SchemaDetails {
  /** Validation rules to add to graphql-js's and armor's on transports that validate themselves (not Apollo Server's HTTP, which applies `introspection` itself). */
  readonly extraRules: readonly ValidationRule[];
  /** Removes suggestions from errors about the client's document or variables (a new error; the original is left alone). */
  mask(error: GraphQLError): GraphQLError;
}

const SUGGESTION = / ?Did you mean(.+?)\?$/;

export function schemaDetails({ introspection, hideSuggestions }: { introspection: boolean; hideSuggestions: boolean }): SchemaDetails {
  return {
    extraRules: introspection ? [] : [NoSchemaIntrospectionCustomRule],
    mask: (error) =>
      hideSuggestions && SUGGESTION.test(error.message)
        ? new GraphQLError(error.message.replace(SUGGESTION, ''), { nodes: error.nodes, extensions: error.extensions, originalError: error.originalError })
        : error,
  };
}
