import { composeServices } from '@theguild/federation-composition';
import type { DocumentNode, GraphQLError } from 'graphql';

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export type CompositionOutcome = { ok: true; supergraphSdl: string } | { ok: false; problems: string[] };

/** Composes Federation v2 subgraphs into a supergraph, or explains why they do not compose. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): CompositionOutcome {
  const result = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (result.errors) return { ok: false, problems: result.errors.map(describeCompositionError) };
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trim()}\n` };
}

/** One line per problem, with its code and where it was found, as a developer needs it to fix the SDL. */
export function describeCompositionError(error: GraphQLError): string {
  const code = typeof error.extensions['code'] === 'string' ? `[${error.extensions['code']}] ` : '';
  const where = error.locations?.length ? ` (line ${error.locations[0]?.line}, column ${error.locations[0]?.column})` : '';
  return `${code}${error.message}${where}`;
}
