import type { BatchFetchNode, FetchNode } from '@graphql-hive/router-query-planner';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLError, type SelectionNode } from 'graphql';
import type { Located } from './entities.ts';
import { isObject } from './merge.ts';
import { unavailableError } from './plan-errors.ts';
import type { TypeConditionCheck } from './type-conditions.ts';

type Path = readonly (string | number)[];

/** What a fetch would have filled: its selections (at the root, or under its `_entities` field). */
interface FetchShape {
  readonly selections: readonly SelectionNode[];
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Keys fetched under an internal alias → the client's key (KeyRenamer output rewrites). */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * A fetch that failed as a whole (subgraph unreachable, or out of time). Its errors are placed once the
 * plan is done, at the fields it would have filled that are still missing: `viewer.github` when the
 * GitHub subgraph is down, not `viewer`, which the other subgraphs filled. A field another fetch filled
 * gets no error.
 */
export interface UnfilledFetch {
  readonly shape: FetchShape;
  /** The objects an entity fetch was for; absent for a root fetch. */
  readonly at?: readonly Located[];
  readonly timedOut: boolean;
  /**
   * The subgraph answered with errors of its own, without a path and no data (a request it refused, such as
   * an argument its scalar rejects): they already say why, so its fields get a `null` and no error of ours.
   */
  readonly reported?: boolean;
}

const shapes = new WeakMap<object, Map<string, FetchShape>>();

/** The shape of a root fetch (`field` absent) or of the entity field `field` (`_entities`, or a BatchFetch alias). */
export function fetchShape(node: FetchNode | BatchFetchNode, rewrites: FetchNode['outputRewrites'], field?: string): FetchShape {
  let byField = shapes.get(node);
  if (!byField) shapes.set(node, (byField = new Map()));
  const cached = byField.get(field ?? '');
  if (cached) return cached;
  const document = parse(node.operation, { noLocation: true });
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const root = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections : [];
  const entityField = field === undefined ? undefined : root.find((s) => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === field);
  const renamed = new Map<string, string>();
  for (const rewrite of rewrites ?? []) {
    if (!('KeyRenamer' in rewrite)) continue;
    const last = rewrite.KeyRenamer.path.at(-1);
    if (last && 'Key' in last) renamed.set(last.Key, rewrite.KeyRenamer.renameKeyTo);
  }
  const shape: FetchShape = {
    selections: field === undefined ? root : entityField?.kind === Kind.FIELD ? (entityField.selectionSet?.selections ?? []) : [],
    fragments,
    renamed,
  };
  byField.set(field ?? '', shape);
  return shape;
}

/**
 * The fields of the failed fetches the finished answer still lacks: an error at each, or, for a fetch whose
 * subgraph's errors already speak for it, the paths those errors cover (`null`s that need no error of ours).
 */
export function unfilledFields(unfilled: readonly UnfilledFetch[], data: unknown, matches: TypeConditionCheck): { errors: GraphQLError[]; covered: Path[] } {
  const errors: GraphQLError[] = [];
  const covered: Path[] = [];
  for (const fetch of unfilled) {
    const targets: readonly { object: unknown; path: Path }[] = fetch.at ?? [{ object: data, path: [] }];
    const seen = new Set<string>();
    for (const { object, path } of targets) {
      const key = JSON.stringify(path);
      if (seen.has(key)) continue;
      seen.add(key);
      const missing: Path[] = [];
      missingFields(object, fetch.shape.selections, path, fetch.shape, matches, missing);
      if (fetch.reported) covered.push(...missing);
      else for (const at of missing) errors.push(unavailableError(at, fetch.timedOut));
    }
  }
  return { errors, covered };
}

function missingFields(value: unknown, selections: readonly SelectionNode[], path: Path, shape: FetchShape, matches: TypeConditionCheck, into: Path[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => missingFields(item, selections, [...path, index], shape, matches, into));
    return;
  }
  if (!isObject(value)) return;
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__typename') continue;
      const fetched = selection.alias?.value ?? selection.name.value;
      const key = shape.renamed.get(fetched) ?? fetched;
      const child = value[key];
      if (child === undefined) into.push([...path, key]);
      else if (selection.selectionSet) missingFields(child, selection.selectionSet.selections, [...path, key], shape, matches, into);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : shape.fragments.get(selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition?.name.value;
    // An object whose type is not known yet (no __typename) may be of the condition's type.
    if (condition && value['__typename'] !== undefined && !matches(value['__typename'], condition)) continue;
    missingFields(value, fragment.selectionSet.selections, path, shape, matches, into);
  }
}
