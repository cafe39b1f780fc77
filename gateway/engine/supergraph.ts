import { Kind, parse, type DocumentNode, type EnumTypeDefinitionNode } from 'graphql';
import { resolveEndpoint, type SubgraphUrls } from './subgraph-endpoints.ts';

/** Refuses a document that is not a composed supergraph (a subgraph SDL, say), which would serve nothing. */
export function parseSupergraph(sdl: string): DocumentNode {
  const document = parse(sdl);
  if (!joinGraphEnum(document)) throw new Error('not a Federation v2 supergraph (no join__Graph enum): compose the subgraphs into one first');
  return document;
}

const joinGraphEnum = (document: DocumentNode) =>
  document.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');

/**
 * Each subgraph's name (as the query planner names it in its fetches) and the URL it is reached at: the
 * supergraph's `@join__graph(name:, url:)`, unless the deployment moved it (overrides win).
 */
export function subgraphEndpoints(document: DocumentNode, overrides: SubgraphUrls): Map<string, string> {
  const endpoints = new Map<string, string>();
  for (const value of joinGraphEnum(document)?.values ?? []) {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const argument = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      return node?.kind === Kind.STRING ? node.value : undefined;
    };
    const name = argument('name') ?? value.name.value.toLowerCase();
    endpoints.set(name, resolveEndpoint(name, argument('url') || undefined, overrides));
  }
  return endpoints;
}
