import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { AccessRules } from '../../kit/access/access.ts';
import type { Caller } from '../../kit/access/principal.ts';
import { UNRULED } from './policy.ts';

/** The root fields an operation selects, through fragments, as the executor would see them. */
function rootFieldNodes(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNodes(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFieldNodes(fragment.selectionSet, fragments, seen);
  });
}

/**
 * The root-field rules of an operation, checked before it executes. Shield guards `resolve`, but a
 * subscription's upstream is opened by `subscribe`, which shield never sees; this runs in graphql-ws
 * `onSubscribe`, so an unauthorized subscription never reaches a subgraph. Returns the refusals.
 */
export function checkRootAccess({
  schema,
  document,
  operationName,
  variables,
  caller,
  rules,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  caller: Caller;
  rules: AccessRules;
}): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const rootType: GraphQLObjectType | null | undefined =
    operation.operation === 'subscription' ? schema.getSubscriptionType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return [...coerced.errors];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  return rootFieldNodes(operation.selectionSet, fragments).flatMap((node) => {
    const field = rootType.getFields()[node.name.value];
    if (!field) return []; // __typename; validation has already refused anything else
    const rule = rules[rootType.name]?.[field.name] ?? UNRULED;
    const verdict = rule.check(caller, getArgumentValues(field, node, coerced.coerced));
    return verdict === true ? [] : [new GraphQLError(verdict.message, { nodes: [node], path: [node.alias?.value ?? node.name.value], extensions: verdict.extensions })];
  });
}
