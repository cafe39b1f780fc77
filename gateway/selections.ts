import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/** A selection that may carry @skip/@include. */
export type ConditionalSelection = FieldNode | InlineFragmentNode | FragmentSpreadNode;

/** @skip/@include as graphql-js's executor decides them; a condition it cannot read leaves the selection in. */
export function included(selection: ConditionalSelection, variables: Readonly<Record<string, unknown>>): boolean {
  if (!selection.directives || selection.directives.length === 0) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.['if'] === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.['if'] === false) return false;
  } catch {
    return true;
  }
  return true;
}

/** The root fields an operation selects, through inline fragments and fragment spreads (meta-fields such as `__typename` aside). */
export function rootFieldNodes(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNodes(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFieldNodes(fragment.selectionSet, fragments, seen);
  });
}

/** The fragment definitions of a document, by name. */
export function fragmentsOf(definitions: readonly { kind: string }[]): Map<string, FragmentDefinitionNode> {
  return new Map(definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[(d as FragmentDefinitionNode).name.value, d as FragmentDefinitionNode] as const] : [])));
}
