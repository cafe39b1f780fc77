import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type InterfaceTypeExtensionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { resolveEndpoint, type SubgraphUrls } from './subgraph-endpoints.ts';

/** Refuses a document that is not a composed supergraph (a subgraph SDL, say), which would serve nothing. */
export function parseSupergraph(sdl: string): DocumentNode {
  const document = parse(sdl);
  if (!joinGraphEnum(document)) throw new Error('not a Federation v2 supergraph (no join__Graph enum): compose the subgraphs into one first');
  return document;
}

const joinGraphEnum = (document: DocumentNode) =>
  document.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');

/** One `join__Graph` value: its enum value (as `graph:` arguments name it), the subgraph's name and URL. */
interface JoinGraph {
  readonly value: string;
  readonly name: string;
  readonly url: string | undefined;
}

function joinGraphs(document: DocumentNode): JoinGraph[] {
  return (joinGraphEnum(document)?.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const argument = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      return node?.kind === Kind.STRING ? node.value : undefined;
    };
    return { value: value.name.value, name: argument('name') ?? value.name.value.toLowerCase(), url: argument('url') || undefined };
  });
}

/** Every subgraph's name, as the query planner names it in its fetches. */
export function subgraphNames(document: DocumentNode): string[] {
  return joinGraphs(document).map(({ name }) => name);
}

/**
 * Each subgraph's name (as the query planner names it in its fetches) and the URL it is reached at: the
 * supergraph's `@join__graph(name:, url:)`, unless the deployment moved it (overrides win).
 */
export function subgraphEndpoints(document: DocumentNode, overrides: SubgraphUrls): Map<string, string> {
  return new Map(joinGraphs(document).map(({ name, url }) => [name, resolveEndpoint(name, url, overrides)]));
}

function graphArgument(directive: ConstDirectiveNode): string | undefined {
  const graph = directive.arguments?.find((a) => a.name.value === 'graph')?.value;
  return graph?.kind === Kind.ENUM ? graph.value : undefined;
}

const isExternal = (directive: ConstDirectiveNode) =>
  directive.arguments?.some((a) => a.name.value === 'external' && a.value.kind === Kind.BOOLEAN && a.value.value) ?? false;

/**
 * Which subgraphs resolve each field (`Type.field` → subgraph names), as the supergraph's join directives
 * say: a field's own `@join__field(graph:)` (not the `external` ones), else every subgraph its type is
 * `@join__type` in. Used to apply a subgraph's own rules to its own fields only.
 */
export function fieldSubgraphs(document: DocumentNode): Map<string, Set<string>> {
  const names = new Map(joinGraphs(document).map(({ value, name }) => [value, name]));
  const subgraphsOf = (directives: readonly ConstDirectiveNode[] | undefined, directive: string, keep: (d: ConstDirectiveNode) => boolean = () => true) =>
    new Set(
      (directives ?? [])
        .filter((d) => d.name.value === directive && keep(d))
        .map(graphArgument)
        .flatMap((graph) => (graph && names.has(graph) ? [names.get(graph)!] : [])),
    );
  const owners = new Map<string, Set<string>>();
  for (const definition of document.definitions) {
    if (!isFieldedType(definition)) continue;
    const ofType = subgraphsOf(definition.directives, 'join__type');
    for (const field of definition.fields ?? []) {
      const explicit = field.directives?.some((d) => d.name.value === 'join__field' && graphArgument(d)) ?? false;
      const own = explicit ? subgraphsOf(field.directives, 'join__field', (d) => !isExternal(d)) : ofType;
      const coordinate = `${definition.name.value}.${field.name.value}`;
      owners.set(coordinate, new Set([...(owners.get(coordinate) ?? []), ...own]));
    }
  }
  return owners;
}

function isFieldedType(definition: DefinitionNode): definition is ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode {
  return (
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_EXTENSION
  );
}
