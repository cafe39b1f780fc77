import {
  GraphQLError,
  isAbstractType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isCompositeType,
  isObjectType,
  isUnionType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { included } from '../selections.ts';
import { isObject, type JsonObject } from './merge.ts';

/**
 * The client's answer built from the merged answers of the plan's fetches: only the fields the client
 * selected (under its aliases, in its order, through its fragments and @skip/@include), `__typename` where
 * asked, values checked against their types, and GraphQL's null propagation by the operation's non-null
 * types. Compiled once per operation (and per value of the variables its @skip/@include read): what each
 * object type selects is worked out the first time an object of that type is met, then reused.
 */
export interface Projection {
  project(input: ProjectionInput): { data: JsonObject | null; errors: GraphQLError[] };
}

export interface ProjectionInput {
  /** The merged answers; `null` when nothing was fetched. */
  readonly data: JsonObject | null;
  /** Errors so far, at client paths; a null in a non-null position with no error at or below it gets one. */
  readonly errors: readonly GraphQLError[];
  readonly variables: Readonly<Record<string, unknown>>;
  /** Fields the access rules refused: `null` and their error at their path. */
  readonly refused: ReadonlyMap<FieldNode, GraphQLError>;
  /** Root response keys answered by the gateway itself (introspection, providerStatus): copied as they are. */
  readonly localKeys?: ReadonlySet<string>;
  /** Paths an error without a path already accounts for (a subgraph that refused a request): no error of their own. */
  readonly covered?: readonly (readonly (string | number)[])[];
}

interface FieldPlan {
  readonly key: string;
  readonly nodes: readonly FieldNode[];
  /** `null` for `__typename` and the introspection fields (`__schema`, `__type`, answered locally). */
  readonly field: GraphQLField<unknown, unknown> | null;
  readonly parentName: string;
  /** What the field's objects select, built on first use. */
  child: SelectionPlan | undefined;
}

/** What one set of selections (one field's, merged across its occurrences) selects, per runtime object type. */
interface SelectionPlan {
  readonly selectionSets: readonly SelectionSetNode[];
  readonly byType: Map<string, FieldPlan[]>;
}

const INVALID = Symbol('null in a non-null position');
type Completed = unknown;
type Path = (string | number)[];

interface Run {
  readonly variables: Readonly<Record<string, unknown>>;
  readonly refused: ReadonlyMap<FieldNode, GraphQLError>;
  readonly errors: GraphQLError[];
  /** Every error path and its prefixes, joined: "is there an error at or below here?" */
  readonly errored: Set<string>;
  /** Every error path, joined: "is there an error above here?" (an entity whose fetch failed). */
  readonly erroredAt: Set<string>;
}

/** Compiles the projection of one operation (its selections are worked out per object type as they are met). */
export function compileProjection(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Projection {
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!rootType) throw new Error(`the schema has no ${operation.operation} type`);
  const conditionVariables = variablesInConditions(operation, fragments);
  // One plan tree per combination of the @skip/@include variables' values (almost always one).
  const roots = new Map<string, SelectionPlan>();

  const collect = (type: GraphQLCompositeType, plan: SelectionPlan, variables: Readonly<Record<string, unknown>>): FieldPlan[] => {
    let fields = plan.byType.get(type.name);
    if (fields) return fields;
    const grouped = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const visit = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (!included(selection, variables)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const nodes = grouped.get(key);
          if (nodes) nodes.push(selection);
          else grouped.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || applies(schema, selection.typeCondition.name.value, type)) visit(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visited.has(name) || !applies(schema, fragment.typeCondition.name.value, type)) continue;
          visited.add(name);
          visit(fragment.selectionSet);
        }
      }
    };
    for (const selectionSet of plan.selectionSets) visit(selectionSet);
    const typeFields = isUnionType(type) ? {} : type.getFields();
    fields = [...grouped].flatMap(([key, nodes]): FieldPlan[] => {
      const name = nodes[0]!.name.value;
      if (name.startsWith('__')) return [{ key, nodes, field: null, parentName: type.name, child: undefined }];
      const field = typeFields[name];
      // Validation has refused anything else, except introspection fields, which are answered locally.
      return field ? [{ key, nodes, field, parentName: type.name, child: undefined }] : [];
    });
    plan.byType.set(type.name, fields);
    return fields;
  };

  /**
   * The type an object's fields are collected for: its `__typename` (or an alias of it the client asked
   * for), or, when it carries none (the planner asked for none: only the abstract type's own fields are
   * selected), the field's type itself, as Apollo's gateway does. An unknown type name is an error.
   */
  const runtimeType = (type: GraphQLCompositeType, plan: SelectionPlan, value: JsonObject, variables: Readonly<Record<string, unknown>>): GraphQLCompositeType | undefined => {
    if (!isAbstractType(type)) return type;
    let typename = value['__typename'];
    if (typeof typename !== 'string') {
      const aliased = collect(type, plan, variables).find((field) => field.field === null && typeof value[field.key] === 'string');
      typename = aliased ? value[aliased.key] : undefined;
    }
    if (typeof typename !== 'string') return type;
    const named = schema.getType(typename);
    return isCompositeType(named) ? named : undefined;
  };

  const childOf = (plan: FieldPlan): SelectionPlan => {
    plan.child ??= { selectionSets: plan.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])), byType: new Map() };
    return plan.child;
  };

  const errorAt = (run: Run, path: Path, message: string) => {
    run.errors.push(new GraphQLError(message, { path: [...path] }));
    markErrored(run, path);
  };

  const completeObject = (run: Run, type: GraphQLCompositeType, plan: SelectionPlan, value: JsonObject, path: Path, localKeys?: ReadonlySet<string>): JsonObject | typeof INVALID => {
    const out: JsonObject = {};
    let invalid = false;
    for (const field of collect(type, plan, run.variables)) {
      if (!field.field) {
        if (field.nodes[0]!.name.value !== '__typename') out[field.key] = value[field.key] ?? null;
        else out[field.key] = isObjectType(type) ? type.name : (value[field.key] ?? value['__typename'] ?? null);
        continue;
      }
      path.push(field.key);
      let completed: Completed;
      const refusal = run.refused.size > 0 ? refusedError(field.nodes, run.refused) : undefined;
      if (localKeys?.has(field.key)) completed = value[field.key] ?? null;
      else if (refusal) {
        run.errors.push(new GraphQLError(refusal.message, { nodes: field.nodes, path: [...path], extensions: refusal.extensions, originalError: refusal.originalError ?? refusal }));
        markErrored(run, path);
        completed = completeValue(run, field.field.type, field, null, path);
      } else completed = completeValue(run, field.field.type, field, value[field.key], path);
      path.pop();
      // The object is lost, but its other fields still run, for their errors (as graphql-js executes siblings).
      if (completed === INVALID) invalid = true;
      else out[field.key] = completed;
    }
    return invalid ? INVALID : out;
  };

  const completeValue = (run: Run, type: GraphQLOutputType, field: FieldPlan, value: unknown, path: Path): Completed => {
    if (isNonNullType(type)) {
      const completed = completeValue(run, type.ofType, field, value, path);
      if (completed !== null) return completed;
      // One error per failure: none when the field's own error, one below it, or its entity's is already there.
      if (!run.errored.has(pathKey(path)) && !erroredAbove(run, path)) {
        const last = path[path.length - 1];
        errorAt(run, path, typeof last === 'number' ? `Cannot return null for non-nullable array element of type ${String(type.ofType)} at index ${last}.` : `Cannot return null for non-nullable field ${field.parentName}.${field.field!.name}.`);
      }
      return INVALID;
    }
    if (value === null || value === undefined) return null;
    if (isListType(type)) {
      if (!Array.isArray(value)) {
        errorAt(run, path, `Expected a list for field ${field.parentName}.${field.field!.name}.`);
        return null;
      }
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const item = completeValue(run, type.ofType, field, value[i], path);
        path.pop();
        if (item === INVALID) return null;
        out[i] = item;
      }
      return out;
    }
    if (isLeafType(type)) {
      const valid = isEnumType(type) ? typeof value === 'string' && type.getValue(value) !== undefined : validScalar(type.name, value);
      if (valid) return type.name === 'ID' && typeof value === 'number' ? String(value) : value;
      errorAt(run, path, `Invalid value found for field ${field.parentName}.${field.field!.name}.`);
      return null;
    }
    if (!isObject(value)) {
      errorAt(run, path, `Invalid value found for field ${field.parentName}.${field.field!.name}.`);
      return null;
    }
    const runtime = runtimeType(type, childOf(field), value, run.variables);
    if (!runtime) {
      errorAt(run, path, `Invalid __typename found for object at field ${field.parentName}.${field.field!.name}.`);
      return null;
    }
    const completed = completeObject(run, runtime, childOf(field), value, path);
    return completed === INVALID ? null : completed;
  };

  return {
    project({ data, errors, variables, refused, localKeys, covered = [] }) {
      const conditionKey = conditionVariables.length === 0 ? '' : conditionVariables.map((name) => String(variables[name])).join('\u0000');
      let root = roots.get(conditionKey);
      if (!root) roots.set(conditionKey, (root = { selectionSets: [operation.selectionSet], byType: new Map() }));
      const run: Run = { variables, refused, errors: [...errors], errored: new Set(), erroredAt: new Set() };
      for (const error of errors) if (error.path) markErrored(run, error.path);
      for (const path of covered) markErrored(run, path);
      const completed = completeObject(run, rootType, root, data ?? {}, [], localKeys);
      return { data: completed === INVALID ? null : completed, errors: run.errors };
    },
  };
}

function refusedError(nodes: readonly FieldNode[], refused: ReadonlyMap<FieldNode, GraphQLError>): GraphQLError | undefined {
  for (const node of nodes) {
    const error = refused.get(node);
    if (error) return error;
  }
  return undefined;
}

const pathKey = (path: readonly (string | number)[]) => path.join('\u0000');

function markErrored(run: Run, path: readonly (string | number)[]): void {
  run.erroredAt.add(pathKey(path));
  for (let length = 0; length <= path.length; length++) run.errored.add(pathKey(path.slice(0, length)));
}

function erroredAbove(run: Run, path: readonly (string | number)[]): boolean {
  for (let length = 1; length < path.length; length++) if (run.erroredAt.has(pathKey(path.slice(0, length)))) return true;
  return false;
}

function validScalar(name: string, value: unknown): boolean {
  switch (name) {
    case 'String':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Int':
      return Number.isInteger(value) && Math.abs(value as number) <= 2147483647;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'ID':
      return typeof value === 'string' || Number.isInteger(value);
    default:
      // Custom scalars are the subgraphs' to serialize; they arrive as the subgraph wrote them.
      return true;
  }
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLCompositeType): boolean {
  if (condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return isAbstractType(conditionType) && !isUnionType(type) && schema.isSubType(conditionType, type);
}

/** The variables read by @skip/@include anywhere in the operation: the projection is specialised on their values. */
function variablesInConditions(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      for (const directive of selection.directives ?? []) {
        if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
        for (const argument of directive.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      } else visit(selection.selectionSet);
    }
  };
  visit(operation.selectionSet);
  return [...names].sort();
}

