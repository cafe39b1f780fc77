import { readFileSync } from 'node:fs';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let schema: GraphQLSchema | undefined;

/**
 * GitHub's public GraphQL schema, as `@octokit/graphql-schema` publishes it, built once per process
 * (about 5 MB of introspection JSON, a few hundred milliseconds). The package's `schema.graphql` does
 * not load in graphql-js (a duplicate field), so this builds from its `schema.json`, which the package
 * does not export as a subpath: it sits next to the entry point.
 */
export function githubSchema(): GraphQLSchema {
  schema ??= buildClientSchema(readIntrospection());
  return schema;
}

function readIntrospection(): IntrospectionQuery {
  const file = new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema'));
  // GitHub's own introspection result (`{ "__schema": … }`); buildClientSchema checks its structure.
  return JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery;
}
