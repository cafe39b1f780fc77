import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, gatewayError } from '../kit/errors.ts';

/**
 * How an operation's cost is estimated before it runs: a static estimate in the manner of the IBM GraphQL
 * cost directive specification (which Apollo Router's and Hive's demand control implement), without
 * their @cost/@listSize directives, so that it works for any supergraph:
 *
 * - a field returning an object, interface or union costs 1; a scalar or enum field costs 0;
 * - a list field costs its size times the cost of one item (the item's 1 plus its selection), so nested
 *   lists multiply;
 * - a list's size is its page-size argument (`first`, `last`, `limit`, …) when the operation gives one, as
 *   a literal or a variable, else that argument's default in the schema, else `assumedListSize`;
 * - a field with a page-size argument that returns one object (a connection) sizes the lists directly
 *   below it (`nodes`, `edges`), as `@listSize(sizedFields:)` does;
 * - a mutation adds `mutationCost`; fragments on different types all count (an upper bound).
 *
 * So the estimate is roughly how many objects the answer can hold, each of them a subgraph row or a
 * provider item to fetch.
 */
export interface CostModel {
  /** Arguments whose value is the number of items a list (or a connection's lists) returns. */
  readonly slicingArguments: readonly string[];
  /** The size of a list no argument sizes (ours: metadata, refunds, prices; a foreign subgraph's anything). */
  readonly assumedListSize: number;
  /** What running a mutation costs on top of its fields. */
  readonly mutationCost: number;
}

export const DEFAULT_COST_MODEL: CostModel = {
  slicingArguments: ['first', 'last', 'limit', 'pageSize', 'perPage', 'take', 'top'],
  assumedListSize: 5,
  mutationCost: 10,
};

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** The request's variables as sent (not yet coerced): only whole numbers among them size a list. */
  readonly variables: Readonly<Record<string, unknown>> | null | undefined;
  readonly model?: CostModel | undefined;
}

/** The estimated cost of one (already validated) operation. */
export function estimateOperationCost(input: CostInput): number {
  const { schema, document, operation } = input;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk: Walk = { schema, fragments, model: input.model ?? DEFAULT_COST_MODEL, sizeOf: sizeReader(operation, input.variables ?? {}) };
  const base = operation.operation === 'mutation' ? walk.model.mutationCost : 0;
  // Absurd page sizes nested deep would overflow to Infinity: still refused, with a number a client can read.
  return Math.min(Number.MAX_SAFE_INTEGER, base + selectionCost(walk, operation.selectionSet, rootType, undefined, new Set()));
}

/** The refusal of an operation estimated above `maxCost`, or undefined when it may run. */
export function costRefusal(input: CostInput, maxCost: number): GraphQLError | undefined {
  const cost = estimateOperationCost(input);
  if (cost <= maxCost) return undefined;
  return gatewayError(ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, `The operation's estimated cost is ${cost}, above the maximum of ${maxCost}: ask for smaller pages or fewer nested lists.`, {
    cost: { estimated: cost, max: maxCost },
  });
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly model: CostModel;
  /** The page size an argument value gives, when it gives one. */
  readonly sizeOf: (value: ValueNode) => number | undefined;
}

/**
 * The cost of a selection set on `parentType`. `inheritedSize` is the page size of the connection this is
 * the selection of, for the lists in it; `spreading` guards against fragment cycles (validation refuses
 * them, but the estimate must not depend on running after it).
 */
function selectionCost(walk: Walk, selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, inheritedSize: number | undefined, spreading: ReadonlySet<string>): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, selection, parentType, inheritedSize, spreading);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? typeFromAST(walk.schema, selection.typeCondition) : parentType;
      if (isCompositeType(type)) total += selectionCost(walk, selection.selectionSet, type, inheritedSize, spreading);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || spreading.has(name)) continue;
      const type = typeFromAST(walk.schema, fragment.typeCondition);
      if (isCompositeType(type)) total += selectionCost(walk, fragment.selectionSet, type, inheritedSize, new Set([...spreading, name]));
    }
  }
  return total;
}

function fieldCost(walk: Walk, node: FieldNode, parentType: GraphQLCompositeType, inheritedSize: number | undefined, spreading: ReadonlySet<string>): number {
  // __typename costs nothing; introspection is bounded by the schema (and off in production).
  if (node.name.value.startsWith('__')) return 0;
  const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
  if (!field) return 0;
  const type = getNamedType(field.type);
  const ownSize = slicedSize(walk, node, field);
  const isList = isListType(getNullableType(field.type));
  // A connection's page size sizes the lists in its selection; a list's own size is used up by the list.
  const sizeBelow = isList ? undefined : ownSize;
  const selection = node.selectionSet && isCompositeType(type) ? selectionCost(walk, node.selectionSet, type, sizeBelow, spreading) : 0;
  const item = (isCompositeType(type) ? 1 : 0) + selection;
  return isList ? (ownSize ?? inheritedSize ?? walk.model.assumedListSize) * item : item;
}

/** The largest page size the field's slicing arguments give (in the operation, or by their schema default). */
function slicedSize(walk: Walk, node: FieldNode, field: GraphQLField<unknown, unknown>): number | undefined {
  let size: number | undefined;
  for (const argument of field.args) {
    if (!walk.model.slicingArguments.includes(argument.name)) continue;
    const given = node.arguments?.find((a) => a.name.value === argument.name);
    const value = given ? walk.sizeOf(given.value) : undefined;
    // Not given (or given as a variable the request left out): the schema's default is what the subgraph gets.
    const fromDefault = typeof argument.defaultValue === 'number' ? argument.defaultValue : undefined;
    const chosen = given && value !== undefined ? value : fromDefault;
    if (chosen !== undefined) size = Math.max(size ?? 0, chosen);
  }
  return size;
}

/** Reads a page size from a literal or a variable (the request's value, else the variable's default). */
function sizeReader(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): (value: ValueNode) => number | undefined {
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const read = (value: ValueNode): number | undefined => {
    if (value.kind === Kind.INT) return Math.max(0, Number.parseInt(value.value, 10));
    if (value.kind !== Kind.VARIABLE) return undefined;
    const name = value.name.value;
    const given = variables[name];
    if (typeof given === 'number' && Number.isInteger(given)) return Math.max(0, given);
    const fallback = given === undefined ? defaults.get(name) : undefined;
    return fallback ? read(fallback) : undefined;
  };
  return read;
}

/**
 * The cost limit on Apollo Server's requests (HTTP, batched, APQ): checked once the operation is known and
 * its variables are at hand, which validation rules never see, and before anything executes.
 */
export function costLimitPlugin<Context extends BaseContext>(maxCost: number, model?: CostModel): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const refusal = costRefusal({ schema, document, operation, variables: request.variables, model }, maxCost);
          // Thrown from here, an error is a 500 unless it says otherwise; Apollo drops `http` from the answer.
          if (refusal) throw new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}
