import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/** An operation split between the subgraphs (planned) and the gateway itself (introspection, its own root fields). */
export interface SplitOperation {
  /** What the subgraphs answer; `null` when nothing is left for them. */
  readonly remote: DocumentNode | null;
  /** What the gateway answers with graphql-js over its API schema; `null` when nothing. */
  readonly local: DocumentNode | null;
  /** The root response keys `local` answers: the projection copies them as they are. */
  readonly localKeys: ReadonlySet<string>;
}

const INTROSPECTION = new Set(['__schema', '__type']);

/**
 * Splits a query's root fields: `__schema`, `__type` and the gateway's own fields (`providerStatus`) are
 * answered here, never by a subgraph; root `__typename` is the projection's; the rest is planned. Only
 * fields written directly in the root selection set are split (where clients write them); anything in a
 * root fragment goes to the planner.
 */
export function splitLocalRootFields(document: DocumentNode, operation: OperationDefinitionNode, gatewayFields: ReadonlySet<string>): SplitOperation {
  if (operation.operation !== 'query') return { remote: document, local: null, localKeys: new Set() };
  const isLocal = (selection: SelectionNode): selection is FieldNode =>
    selection.kind === Kind.FIELD && (INTROSPECTION.has(selection.name.value) || gatewayFields.has(selection.name.value));
  const isRootTypename = (selection: SelectionNode) => selection.kind === Kind.FIELD && selection.name.value === '__typename';
  const local = operation.selectionSet.selections.filter(isLocal);
  const remote = operation.selectionSet.selections.filter((selection) => !isLocal(selection) && !isRootTypename(selection));
  if (local.length === 0 && remote.length === operation.selectionSet.selections.length) return { remote: document, local: null, localKeys: new Set() };
  const withSelections = (selections: readonly SelectionNode[]): DocumentNode => ({
    ...document,
    definitions: document.definitions.map((definition) => (definition === operation ? { ...operation, selectionSet: { ...operation.selectionSet, selections } } : definition)),
  });
  return {
    remote: remote.length > 0 ? withSelections(remote) : null,
    local: local.length > 0 ? withSelections(local) : null,
    localKeys: new Set(local.map((field) => field.alias?.value ?? field.name.value)),
  };
}
