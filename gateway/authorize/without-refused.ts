import {
  Kind,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableNode,
} from 'graphql';
import { fragmentsOf } from '../selections.ts';

const TYPENAME: FieldNode = Object.freeze({ kind: Kind.FIELD, name: Object.freeze({ kind: Kind.NAME, value: '__typename' }) });

/**
 * The operation's document without the refused fields: each refused FieldNode object is removed wherever
 * it appears (in fragment definitions too). A field's selection set left empty gets `__typename`; an
 * inline fragment or fragment spread left empty is removed (so an operation whose every root field was
 * refused, however it was spread, is empty). Returns the operation and the fragments it still uses, with
 * the variables it still uses, or `null` when nothing of the operation is left. Unchanged nodes are
 * shared with the original document.
 */
export function withoutRefused(document: DocumentNode, operation: OperationDefinitionNode, refused: ReadonlySet<FieldNode>): DocumentNode | null {
  const fragments = fragmentsOf(document.definitions);
  // name → the fragment without refused fields, or null when nothing is left of it.
  const pruned = new Map<string, FragmentDefinitionNode | null>();

  const fragment = (name: string): FragmentDefinitionNode | null => {
    if (pruned.has(name)) return pruned.get(name)!;
    const definition = fragments.get(name);
    pruned.set(name, null); // a cycle (which validation refuses) contributes nothing
    if (!definition) return null;
    const selections = prune(definition.selectionSet.selections);
    const result = selections.length === 0 ? null : selections === definition.selectionSet.selections ? definition : { ...definition, selectionSet: withSelections(definition.selectionSet, selections) };
    pruned.set(name, result);
    return result;
  };

  function prune(selections: readonly SelectionNode[]): readonly SelectionNode[] {
    let changed = false;
    const kept: SelectionNode[] = [];
    for (const selection of selections) {
      const next = pruneSelection(selection);
      if (next !== selection) changed = true;
      if (next) kept.push(next);
    }
    return changed ? kept : selections;
  }

  function pruneSelection(selection: SelectionNode): SelectionNode | null {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (refused.has(selection)) return null;
        if (!selection.selectionSet) return selection;
        const selections = prune(selection.selectionSet.selections);
        if (selections === selection.selectionSet.selections) return selection;
        return { ...selection, selectionSet: withSelections(selection.selectionSet, selections.length > 0 ? selections : [TYPENAME]) };
      }
      case Kind.INLINE_FRAGMENT: {
        const selections = prune(selection.selectionSet.selections);
        if (selections === selection.selectionSet.selections) return selection;
        return selections.length === 0 ? null : { ...selection, selectionSet: withSelections(selection.selectionSet, selections) };
      }
      case Kind.FRAGMENT_SPREAD:
        return fragment(selection.name.value) ? selection : null;
    }
  }

  const selections = prune(operation.selectionSet.selections);
  if (selections.length === 0) return null;
  const prunedOperation: OperationDefinitionNode = selections === operation.selectionSet.selections ? operation : { ...operation, selectionSet: withSelections(operation.selectionSet, selections) };

  // The fragments the rebuilt operation still spreads (an unused fragment would make the document invalid).
  const used = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (used.has(name)) continue;
        used.add(name);
        collect(pruned.get(name)?.selectionSet);
      } else collect(selection.selectionSet);
    }
  };
  collect(prunedOperation.selectionSet);

  // Variables only the refused fields used are no longer defined (an unused variable is invalid too).
  const variables = new Set<string>();
  const usedVariables = { [Kind.VARIABLE]: (node: VariableNode) => void variables.add(node.name.value) };
  visit({ ...prunedOperation, variableDefinitions: [] }, usedVariables);
  for (const name of used) {
    const definition = pruned.get(name);
    if (definition) visit(definition, usedVariables);
  }
  const definedVariables = prunedOperation.variableDefinitions ?? [];
  const keptVariables = definedVariables.filter((definition) => variables.has(definition.variable.name.value));
  const rebuilt = keptVariables.length === definedVariables.length ? prunedOperation : { ...prunedOperation, variableDefinitions: keptVariables };

  const definitions: DefinitionNode[] = document.definitions.flatMap((definition): DefinitionNode[] => {
    if (definition === operation) return [rebuilt];
    if (definition.kind === Kind.FRAGMENT_DEFINITION && used.has(definition.name.value)) return [pruned.get(definition.name.value) ?? definition];
    return [];
  });
  return { ...document, definitions };
}

function withSelections(selectionSet: SelectionSetNode, selections: readonly SelectionNode[]): SelectionSetNode {
  return { ...selectionSet, selections };
}
