import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface QueryCost {
  /** Points charged: max(1, round(requests / 100)). */
  cost: number;
  /** GitHub's "requests needed": each connection, once per parent object it can be fetched for. */
  requests: number;
  /** The most nodes the query can return (GitHub's node limit counts these). */
  nodeCount: number;
}

/** GitHub refuses a query that could return more nodes than this. */
export const MAX_NODE_COUNT = 500_000;

/**
 * GitHub's documented rate-limit calculation
 * (docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api):
 *
 * - Each connection field costs one request per object it is fetched for: the product of the `first`
 *   (or `last`) of the connections enclosing it, 1 at the top level. `viewer { repositories(first: 100)
 *   { nodes { issues(first: 50) { nodes { labels(first: 60) { … } } } } } }` needs 1 + 100 + 100 × 50 =
 *   5,101 requests.
 * - cost = max(1, round(requests / 100)): 51 points there. Aliases count separately (25 aliased users,
 *   each with a repositories connection, are 25 requests).
 * - nodeCount sums, per connection, the product of the page sizes down to and including it:
 *   100 + 100 × 50 + 100 × 50 × 60 = 305,100 there.
 *
 * A connection without a page size (`issues { totalCount }`) is still a request; it adds no nodes.
 * Fragments and inline fragments are expanded where they are spread.
 */
export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): QueryCost {
  const root = schema.getRootType(operation.operation);
  const totals = { requests: 0, nodeCount: 0 };
  if (root) walk(operation.selectionSet, root, 1, { schema, fragments, variables, totals });
  return { cost: Math.max(1, Math.round(totals.requests / 100)), requests: totals.requests, nodeCount: totals.nodeCount };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
  totals: { requests: number; nodeCount: number };
}

/** `fetches`: how many times this selection set is resolved, given the page sizes above it. */
function walk(selectionSet: SelectionSetNode, parentType: GraphQLNamedType, fetches: number, state: Walk): void {
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (!isObjectType(parentType) && !isInterfaceType(parentType)) break; // unions select only __typename
        const field = parentType.getFields()[selection.name.value];
        if (!field) break; // __typename and other meta fields cost nothing
        const type = getNamedType(field.type);
        let childFetches = fetches;
        if (isConnection(type)) {
          const size = pageSize(() => getArgumentValues(field, selection, state.variables));
          state.totals.requests += fetches;
          state.totals.nodeCount += fetches * (size ?? 0);
          childFetches = fetches * (size ?? 1);
        }
        if (selection.selectionSet) walk(selection.selectionSet, type, childFetches, state);
        break;
      }
      case Kind.INLINE_FRAGMENT: {
        const type = selection.typeCondition ? state.schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) walk(selection.selectionSet, type, fetches, state);
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const fragment = state.fragments[selection.name.value];
        const type = fragment && state.schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) walk(fragment.selectionSet, type, fetches, state);
        break;
      }
    }
  }
}

/** GitHub's paginated fields return `…Connection` types (with `pageInfo`). */
function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields();
}

function pageSize(readArguments: () => Record<string, unknown>): number | undefined {
  let args: Record<string, unknown>;
  try {
    args = readArguments();
  } catch {
    return undefined; // invalid arguments fail in execution, with GitHub's error
  }
  const size = typeof args['first'] === 'number' ? args['first'] : args['last'];
  return typeof size === 'number' ? Math.max(0, size) : undefined;
}
