import {
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, gatewayError } from '../kit/errors.ts';
import { costDirectivesOf, type ArgumentCost, type CostDirectives, type InputCost, type ListSize, type SizedFields } from './cost-directives.ts';

/**
 * How an operation's cost is estimated before it runs: a static estimate in the manner of the IBM GraphQL
 * cost directive specification (which Apollo Router's and Hive's demand control implement). Without
 * directives, so that it works for any supergraph:
 *
 * - a field returning an object, interface or union costs 1; a scalar or enum field costs 0;
 * - a list field costs its size times the cost of one item (the item's 1 plus its selection), so nested
 *   lists multiply;
 * - a list's size is its page-size argument (`first`, `last`, `limit`, …) when the operation gives one, as
 *   a literal or a variable, else that argument's default in the schema, else `assumedListSize`;
 * - a field with a page-size argument that returns one object (a connection) sizes the lists directly
 *   below it (`nodes`, `edges`), as `@listSize(sizedFields:)` does;
 * - a mutation adds `mutationCost`; fragments on different types all count (an upper bound);
 * - a field or fragment that `@skip(if:)` or `@include(if:)` leaves out, by a literal or by the request's
 *   variables, costs nothing: it is not fetched.
 *
 * When the supergraph has Federation 2.9's `@cost` and `@listSize` (cost-directives.ts), they override
 * these where they are, as Apollo Router reads them: `@cost` on a field or its type replaces the 1 or 0 of
 * each item, on an argument (or input field) it adds when given; `@listSize` sizes its field (or its
 * `sizedFields`) from its `slicingArguments`, else `assumedSize`, else the default.
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
  return assess(input).cost;
}

/** A `@listSize(requireOneSlicingArgument: true)` field the operation gives none or several of its slicing arguments. */
interface SlicingProblem {
  /** `Type.field` */
  readonly field: string;
  readonly slicingArguments: readonly string[];
  readonly found: number;
}

function assess(input: CostInput): { readonly cost: number; readonly slicing: SlicingProblem | undefined } {
  const { schema, document, operation } = input;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { cost: 0, slicing: undefined };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variables = input.variables ?? {};
  const walk: Walk = {
    schema,
    fragments,
    model: input.model ?? DEFAULT_COST_MODEL,
    directives: costDirectivesOf(schema),
    sizeOf: sizeReader(operation, variables),
    valueOf: valueReader(operation, variables),
    slicing: undefined,
  };
  const base = operation.operation === 'mutation' ? walk.model.mutationCost : 0;
  // Absurd page sizes nested deep would overflow to Infinity: still refused, with a number a client can read.
  const cost = Math.min(Number.MAX_SAFE_INTEGER, base + selectionCost(walk, operation.selectionSet, rootType, undefined, new Set()));
  return { cost, slicing: walk.slicing };
}

/** The refusal of an operation estimated above `maxCost` (or whose list sizes cannot be told), or undefined when it may run. */
export function costRefusal(input: CostInput, maxCost: number): GraphQLError | undefined {
  const { cost, slicing } = assess(input);
  if (!slicing && cost <= maxCost) return undefined;
  // Variables the operation cannot take (a page size beyond 32 bits, a string) are refused with BAD_USER_INPUT
  // before anything runs; a refusal estimated from them would only hide that behind a cost the client cannot
  // fix. Checked only here, on the way to a refusal: the engine coerces every operation's variables anyway.
  if (hasInvalidVariables(input)) return undefined;
  if (slicing) {
    // Apollo Router and Hive Router refuse these too (Hive Router's code; Apollo Router says COST_QUERY_PARSE_FAILURE).
    return gatewayError(
      ErrorCode.COST_INVALID_SLICING_ARGUMENTS,
      `${slicing.field} needs exactly one of its slicing arguments (${slicing.slicingArguments.join(', ')}) to size its list; the operation gives ${slicing.found}.`,
      { slicing },
    );
  }
  return gatewayError(ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, `The operation's estimated cost is ${cost}, above the maximum of ${maxCost}: ask for smaller pages or fewer nested lists.`, {
    cost: { estimated: cost, max: maxCost },
  });
}

function hasInvalidVariables({ schema, operation, variables }: CostInput): boolean {
  const definitions = operation.variableDefinitions ?? [];
  return definitions.length > 0 && getVariableValues(schema, definitions, variables ?? {}).errors !== undefined;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly model: CostModel;
  /** The supergraph's @cost and @listSize, when it has any. */
  readonly directives: CostDirectives | undefined;
  /** The page size an argument value gives, when it gives one. */
  readonly sizeOf: (value: ValueNode) => number | undefined;
  /** An argument value as the subgraph gets it (variables in place), for input objects. */
  readonly valueOf: (value: ValueNode) => unknown;
  /** The first @listSize field given none or several of its slicing arguments. */
  slicing: SlicingProblem | undefined;
}

/**
 * A page size a field hands down to the lists in its selection: to every list directly below it (a
 * connection, by the heuristic), or, from `@listSize(sizedFields:)`, to the lists it names only.
 */
interface HandedDown {
  readonly size: number;
  readonly sizedFields?: SizedFields | undefined;
}

/**
 * The cost of a selection set on `parentType`. `handed` is the page size of the field this is the
 * selection of, for the lists in it; `spreading` guards against fragment cycles (validation refuses
 * them, but the estimate must not depend on running after it).
 */
function selectionCost(walk: Walk, selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, handed: HandedDown | undefined, spreading: ReadonlySet<string>): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (leftOut(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, selection, parentType, handed, spreading);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? typeFromAST(walk.schema, selection.typeCondition) : parentType;
      if (isCompositeType(type)) total += selectionCost(walk, selection.selectionSet, type, handed, spreading);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || spreading.has(name)) continue;
      const type = typeFromAST(walk.schema, fragment.typeCondition);
      if (isCompositeType(type)) total += selectionCost(walk, fragment.selectionSet, type, handed, new Set([...spreading, name]));
    }
  }
  return total;
}

/** Whether `@skip(if: true)` or `@include(if: false)` leaves the selection out of the answer (a variable not given counts it in). */
function leftOut(walk: Walk, selection: SelectionNode): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if');
    const value = condition ? walk.valueOf(condition.value) : undefined;
    if (name === 'skip' ? value === true : value === false) return true;
  }
  return false;
}

function fieldCost(walk: Walk, node: FieldNode, parentType: GraphQLCompositeType, handed: HandedDown | undefined, spreading: ReadonlySet<string>): number {
  // __typename costs nothing; introspection is bounded by the schema (and off in production).
  if (node.name.value.startsWith('__')) return 0;
  const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
  if (!field) return 0;
  const type = getNamedType(field.type);
  const isList = isListType(getNullableType(field.type));
  const declared = walk.directives?.fields.get(field);
  const listSize = declared?.listSize;
  // @listSize replaces the heuristic page-size arguments for its field.
  const ownSize = listSize ? declaredSize(walk, node, field, parentType, listSize) : slicedSize(walk, node, field);
  const below = handedBelow(node.name.value, isList, ownSize, listSize, handed);
  const selection = node.selectionSet && isCompositeType(type) ? selectionCost(walk, node.selectionSet, type, below, spreading) : 0;
  // @cost (the field's, else its type's) replaces the 1 an object costs (0 for a scalar or enum), per item.
  const item = (declared?.weight ?? (isCompositeType(type) ? 1 : 0)) + selection;
  // Arguments count once per field, not per item (Apollo Router and Hive Router).
  const args = declared?.arguments && node.arguments?.length ? argumentsCost(walk, node, declared.arguments) : 0;
  return (isList ? listLength(walk, node.name.value, ownSize, handed) * item : item) + args;
}

/**
 * How many items a list field returns. A size its parent's `sizedFields` give it wins over its own (as in
 * Apollo Router); otherwise its own page size wins over a connection's above it; else `assumedListSize`.
 */
function listLength(walk: Walk, name: string, ownSize: number | undefined, handed: HandedDown | undefined): number {
  if (handed?.sizedFields) return (handed.sizedFields.lists.has(name) ? handed.size : undefined) ?? ownSize ?? walk.model.assumedListSize;
  return ownSize ?? handed?.size ?? walk.model.assumedListSize;
}

/** What a field hands down to the lists in its selection (see HandedDown). */
function handedBelow(name: string, isList: boolean, ownSize: number | undefined, listSize: ListSize | undefined, handed: HandedDown | undefined): HandedDown | undefined {
  if (listSize?.sizedFields && ownSize !== undefined) return { size: ownSize, sizedFields: listSize.sizedFields };
  // On a sizedFields path (`results { page }`, at `results`).
  const nested = handed?.sizedFields?.below.get(name);
  if (handed && nested) return { size: handed.size, sizedFields: nested };
  // The heuristic, for fields without @listSize (which says where its size goes): a connection's page size
  // sizes the lists directly below it; a list's own size is used up by the list.
  return !listSize && !isList && ownSize !== undefined ? { size: ownSize } : undefined;
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

/**
 * A `@listSize` field's size: the largest its `slicingArguments` give (those the operation gives; when it
 * gives none, their schema defaults), else `assumedSize`; undefined leaves the default. With
 * `requireOneSlicingArgument` (true unless the directive says otherwise), anything but exactly one is
 * noted, and refused by costRefusal. Apollo Router counts a default beside a given argument (and refuses
 * `last: 5` when `first` has a default); here a default only stands in for an argument not given.
 */
function declaredSize(walk: Walk, node: FieldNode, field: GraphQLField<unknown, unknown>, parentType: GraphQLCompositeType, listSize: ListSize): number | undefined {
  const paths = listSize.slicingArguments;
  if (!paths) return listSize.assumedSize;
  let size: number | undefined;
  let found = 0;
  const count = (value: number | undefined) => {
    if (value === undefined) return;
    found++;
    size = Math.max(size ?? 0, value);
  };
  for (const path of paths) count(givenSize(walk, node, path));
  if (found === 0) for (const path of paths) count(sizeIn(field.args.find((a) => a.name === path[0])?.defaultValue, path, 1));
  if (listSize.requireOneSlicingArgument && found !== 1) {
    walk.slicing ??= { field: `${parentType.name}.${field.name}`, slicingArguments: paths.map((path) => path.join('.')), found };
  }
  return size ?? listSize.assumedSize;
}

/** The size a slicing argument path gives in the operation: an Int, a list's length, or either inside an input object. */
function givenSize(walk: Walk, node: FieldNode, path: readonly string[]): number | undefined {
  const given = node.arguments?.find((a) => a.name.value === path[0]);
  if (!given) return undefined;
  return path.length === 1 ? walk.sizeOf(given.value) : sizeIn(walk.valueOf(given.value), path, 1);
}

/** The size at `path` (from `from`) inside a value: a whole number, or a list's length. */
function sizeIn(value: unknown, path: readonly string[], from: number): number | undefined {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[path[i]!];
  }
  if (typeof current === 'number' && Number.isInteger(current)) return Math.max(0, current);
  return Array.isArray(current) ? current.length : undefined;
}

/**
 * What the weighted arguments the operation gives cost. An argument's weight counts once when given (not
 * null), as in Hive Router (Apollo Router adds it again per item of a list); an input object adds the
 * weights of the fields given inside it, but not the 1 both routers charge for each input object, so that
 * inputs cost nothing unless the supergraph says so, as before.
 */
function argumentsCost(walk: Walk, node: FieldNode, costs: ReadonlyMap<string, ArgumentCost>): number {
  let total = 0;
  for (const argument of node.arguments ?? []) {
    const cost = costs.get(argument.name.value);
    if (cost) total += givenCost(walk.valueOf(argument.value), cost);
  }
  return total;
}

function givenCost(value: unknown, cost: ArgumentCost): number {
  if (value === null || value === undefined) return 0;
  return cost.weight + (cost.input ? inputCost(value, cost.input) : 0);
}

/** The weighted fields given in an input object, or in each of a list of them. */
function inputCost(value: unknown, fields: InputCost): number {
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) total += inputCost(item, fields);
    return total;
  }
  if (typeof value !== 'object' || value === null) return 0;
  for (const [name, fieldValue] of Object.entries(value)) {
    const cost = fields.get(name);
    if (cost) total += givenCost(fieldValue, cost);
  }
  return total;
}

/** Reads a page size from a literal (a whole number, or a list's length) or a variable (the request's value, else the variable's default). */
function sizeReader(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): (value: ValueNode) => number | undefined {
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const read = (value: ValueNode): number | undefined => {
    if (value.kind === Kind.INT) return Math.max(0, Number.parseInt(value.value, 10));
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind !== Kind.VARIABLE) return undefined;
    const name = value.name.value;
    const given = variables[name];
    if (typeof given === 'number' && Number.isInteger(given)) return Math.max(0, given);
    if (Array.isArray(given)) return given.length;
    const fallback = given === undefined ? defaults.get(name) : undefined;
    return fallback ? read(fallback) : undefined;
  };
  return read;
}

/** Reads any argument value with the request's variables, their defaults filled in (only made when first needed). */
function valueReader(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): (value: ValueNode) => unknown {
  let resolved: Record<string, unknown> | undefined;
  return (value) => {
    if (!resolved) {
      resolved = { ...variables };
      for (const definition of operation.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        if (resolved[name] === undefined && definition.defaultValue) resolved[name] = valueFromASTUntyped(definition.defaultValue);
      }
    }
    return valueFromASTUntyped(value, resolved);
  };
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
