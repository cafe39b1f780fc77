import type { FetchNodePathSegment, FetchRewrite, FlattenNodePathSegment, RequiresSelection } from '@graphql-hive/router-query-planner';
import { isObject, mergeInto, type JsonObject } from './merge.ts';
import type { TypeConditionCheck } from './type-conditions.ts';

/** An object in the answer so far, and where it sits in the client's response. */
export interface Located {
  readonly object: JsonObject;
  readonly path: readonly (string | number)[];
}

/**
 * The objects a Flatten node's fetch is about: walks its path (`Field`, `@` for each list item, and
 * `TypeCondition` to keep only matching objects) through the answer so far. Lists met where the path names
 * a field are walked too (lists of lists), and nulls end a branch.
 */
export function collectAt(data: JsonObject, path: readonly FlattenNodePathSegment[], matches: TypeConditionCheck): Located[] {
  const found: Located[] = [];
  walkPath(data, 0, path, matches, [], found);
  return found;
}

// A plain recursive function with for loops: it runs for every object of every entity fetch.
function walkPath(value: unknown, depth: number, path: readonly FlattenNodePathSegment[], matches: TypeConditionCheck, trail: (string | number)[], found: Located[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // A list where the path says `@` steps past it; anywhere else (lists of lists, the end) it is walked through.
    const next = depth < path.length && path[depth] === '@' ? depth + 1 : depth;
    for (let index = 0; index < value.length; index++) {
      trail.push(index);
      walkPath(value[index], next, path, matches, trail, found);
      trail.pop();
    }
    return;
  }
  if (!isObject(value)) return;
  if (depth === path.length) {
    found.push({ object: value, path: trail.slice() });
    return;
  }
  const segment = path[depth]!;
  if (segment === '@') return;
  if ('Field' in segment) {
    trail.push(segment.Field);
    walkPath(value[segment.Field], depth + 1, path, matches, trail, found);
    trail.pop();
    return;
  }
  for (const condition of segment.TypeCondition) {
    if (matches(value['__typename'], condition)) {
      walkPath(value, depth + 1, path, matches, trail, found);
      return;
    }
  }
}

/**
 * An entity's representation for `_entities`: the fields the fetch `requires` (its key, and `@requires`
 * fields), read from what earlier fetches answered. `null` when the object does not match (its type is not
 * the fetch's) or lacks the key (its own fetch failed): it is then left out of the request.
 */
export function representationOf(requires: readonly RequiresSelection[], object: JsonObject, matches: TypeConditionCheck): JsonObject | null {
  const projected = project(requires, object, matches);
  if (!isObject(projected)) return null;
  const keys = Object.keys(projected);
  if (keys.length === 0 || (keys.length === 1 && keys[0] === '__typename')) return null;
  projected['__typename'] ??= object['__typename'];
  return projected;
}

function project(selections: readonly RequiresSelection[], value: unknown, matches: TypeConditionCheck): unknown {
  if (Array.isArray(value)) {
    const list = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = project(selections, value[i], matches);
    return list;
  }
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const key = selection.alias ?? selection.name;
      const original = value[selection.name] !== undefined ? value[selection.name] : value[key];
      const projected = selection.selections ? project(selection.selections, original, matches) : original;
      // A required field that is null is sent as null (the subgraph reads it); one that is missing is not sent.
      if (projected !== undefined) result[key] = projected;
    } else if (selection.kind === 'InlineFragment') {
      if (!matches(value['__typename'], selection.typeCondition)) continue;
      const projected = project(selection.selections, value, matches);
      if (isObject(projected)) mergeInto(result, projected);
    }
  }
  return result;
}

type Segment = { typeCondition: string } | { key: string };

const segmentsOf = (path: readonly FetchNodePathSegment[]): Segment[] =>
  path.map((segment) => ('TypenameEquals' in segment ? { typeCondition: segment.TypenameEquals[0] ?? '' } : { key: segment.Key }));

/** A rewrite, in whichever of the planner's two spellings it came. */
function normalize(rewrite: FetchRewrite): { kind: 'set'; path: Segment[]; value: string } | { kind: 'rename'; path: Segment[]; to: string } {
  if ('KeyRenamer' in rewrite) return { kind: 'rename', path: segmentsOf(rewrite.KeyRenamer.path), to: rewrite.KeyRenamer.renameKeyTo };
  const setter = 'ValueSetter' in rewrite ? rewrite.ValueSetter : rewrite;
  return { kind: 'set', path: segmentsOf(setter.path), value: setter.setValueTo };
}

/**
 * The planner's rewrites: `ValueSetter` (a representation's `__typename` set to the interface an
 * `@interfaceObject` subgraph knows) and `KeyRenamer` (a field fetched under an alias given back its name).
 * Applied in place.
 */
export function applyRewrites(value: unknown, rewrites: readonly FetchRewrite[], matches: TypeConditionCheck): void {
  for (const rewrite of rewrites) {
    const { path, ...change } = normalize(rewrite);
    apply(value, path, 0, change, matches);
  }
}

function apply(value: unknown, path: Segment[], depth: number, change: { kind: 'set'; value: string } | { kind: 'rename'; to: string }, matches: TypeConditionCheck): void {
  if (Array.isArray(value)) {
    for (const item of value) apply(item, path, depth, change, matches);
    return;
  }
  if (!isObject(value)) return;
  const segment = path[depth];
  if (!segment) return;
  if ('typeCondition' in segment) {
    if (matches(value['__typename'], segment.typeCondition)) apply(value, path, depth + 1, change, matches);
    return;
  }
  if (depth === path.length - 1) {
    if (change.kind === 'set') value[segment.key] = change.value;
    else if (segment.key in value) {
      value[change.to] = value[segment.key];
      delete value[segment.key];
    }
    return;
  }
  apply(value[segment.key], path, depth + 1, change, matches);
}

/**
 * A representation as JSON: the key under which the same entity reached twice is fetched once, and the
 * text sent. Representations of one fetch are built field by field in its `requires` order, so one entity
 * always gives the same text.
 */
export const representationKey = (representation: JsonObject): string => JSON.stringify(representation);
