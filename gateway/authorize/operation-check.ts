import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLType,
  type GraphQLUnionType,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Caller } from '../../kit/access/principal.ts';
import { deny, evaluateRule, operationCheckContext, refusalError, type ShieldRule, type ShieldRules } from './shield-rules.ts';
import { withoutRefused } from './without-refused.ts';
import { fragmentsOf, included, rootFieldNodes, type ConditionalSelection } from '../selections.ts';

export { and, allow, deny, not, or, rule, shieldRules, type OperationCheckContext, type ShieldRule, type ShieldRules } from './shield-rules.ts';

/**
 * Authorization as Hive Router does it: decide on the operation, rebuild it, fill the holes. The access
 * rules (graphql-shield rules, reading only the caller and the field's arguments) are evaluated on the
 * operation before it is planned; refused fields are removed from the document that gets planned, and
 * the engine puts `null` and the refusal error where each was. No rule ever runs per resolved value.
 *
 * Compiled once per operation (`compileOperationAccess`): the walk through fields, fragments and inline
 * fragments finds every selection that has a rule. Per request (`decide`): coerce the variables, honour
 * @skip/@include, evaluate the rules of the selections that are still selected, outermost first (a field
 * under a refused one is not checked: it is gone with its parent), and rebuild the document.
 */

/** A field an access rule refused, for the audit trail (the server audits refused Mutation fields). */
export interface FieldRefusal {
  typeName: string;
  fieldName: string;
  args: Record<string, unknown>;
  error: GraphQLError;
}

export interface AccessDecision {
  /** Refused selections of the operation (the FieldNode objects of the ORIGINAL document, fragments included) and their error. Empty when all is allowed. */
  readonly refused: ReadonlyMap<FieldNode, GraphQLError>;
  /** A short stable string identifying the refused set (sorted indexes of the refused selections), '' when none: plans are cached per (operation, key). */
  readonly key: string;
  /** The operation's document without the refused fields (same document object when none refused). A selection set left empty gets `__typename` so the document stays valid. When every root field is refused, `null`: nothing to plan. */
  readonly document: DocumentNode | null;
  readonly refusals: readonly FieldRefusal[];
}

/** Compiled once per (document, operation) and cached by the caller; finds every selection that has a rule, with its field definition. */
export interface OperationAccess {
  /** Whether any selection of the operation has a rule (false: `decide` always allows, at no cost). */
  readonly ruled: boolean;
  decide(caller: Caller, variables: Readonly<Record<string, unknown>>): Promise<AccessDecision>;
}

/**
 * Where something is selected, as far as deciding goes: under which conditions, below which ruled fields.
 * Only the places that matter get one: a ruled field, a selection with a variable @skip/@include, and a
 * fragment definition (which is selected wherever one of its spreads is).
 */
interface Place {
  /** A ruled field: the checks its rule(s) make. */
  readonly ruled?: RuledSelection;
  /** @skip/@include that depend on variables. */
  readonly conditional?: FieldNode | InlineFragmentNode | FragmentSpreadNode;
  /** The places this one lies within: one, except for a fragment (one per spread); none for the operation. */
  readonly within: Place[];
}

/** One rule to check for a selection: for a field on an interface, one per object type with a rule for it. */
interface Check {
  readonly rule: ShieldRule;
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  /** What the rule gets as `info`, less the variables (per request). */
  readonly info: Omit<GraphQLResolveInfo, 'variableValues'>;
}

interface RuledSelection {
  /** Its position in document order: the refused set's key is made of these. */
  readonly index: number;
  readonly node: FieldNode;
  readonly checks: readonly Check[];
  /** How many ruled fields it lies below, at most: rules are evaluated outermost first. */
  depth: number;
}

const ALLOWED: Omit<AccessDecision, 'document'> = Object.freeze({ refused: new Map(), key: '', refusals: Object.freeze([]) });
const OPERATION: Place = Object.freeze({ within: [] });

export function compileOperationAccess({
  schema,
  document,
  operation,
  rules,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  rules: ShieldRules;
}): OperationAccess {
  const rootType = operation.operation === 'subscription' ? schema.getSubscriptionType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const fragments = fragmentsOf(document.definitions);
  const fragmentMap = Object.fromEntries(fragments);
  const ruledSelections: RuledSelection[] = [];
  const placeOf = new Map<RuledSelection, Place>();
  const fragmentPlaces = new Map<string, Place>();

  /** The rule of `type.field`: a root field without one is denied (deny by default). */
  const ruleOf = (type: GraphQLObjectType, field: string): ShieldRule | undefined => rules[type.name]?.[field] ?? (type === rootType ? deny : undefined);

  const checksOf = (parentType: GraphQLCompositeType, node: FieldNode, path: GraphQLResolveInfo['path']): Check[] => {
    // A field selected on an interface is checked against the rule of every object type that could be
    // there: the rules read no data, so which object it will be is not known yet (refusing is the safe side).
    const types = isAbstractType(parentType) ? schema.getPossibleTypes(parentType) : [parentType];
    return types.flatMap((type) => {
      const rule = ruleOf(type, node.name.value);
      const field = type.getFields()[node.name.value];
      if (!rule || !field) return [];
      const info: Omit<GraphQLResolveInfo, 'variableValues'> = {
        fieldName: field.name,
        fieldNodes: [node],
        returnType: field.type,
        parentType: type,
        path,
        schema,
        fragments: fragmentMap,
        rootValue: undefined,
        operation,
      };
      return [{ rule, type, field, info }];
    });
  };

  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, within: Place, path: GraphQLResolveInfo['path'] | undefined): void => {
    for (const selection of selectionSet.selections) {
      const condition = conditionOf(selection);
      if (condition === 'never') continue; // @skip(if: true), @include(if: false): never selected
      const here: Place = condition === 'always' ? within : { conditional: selection, within: [within] };
      switch (selection.kind) {
        case Kind.FIELD: {
          // Meta-fields (__typename, and introspection's __schema and __type) are answered by the gateway
          // itself and are not subject to access rules (introspection has its own switch).
          if (selection.name.value.startsWith('__')) continue;
          const fieldPath = { prev: path, key: selection.alias?.value ?? selection.name.value, typename: parentType.name };
          const checks = checksOf(parentType, selection, fieldPath);
          let inner = here;
          if (checks.length > 0) {
            const ruled: RuledSelection = { index: ruledSelections.length, node: selection, checks, depth: 0 };
            inner = { ruled, within: [here] };
            ruledSelections.push(ruled);
            placeOf.set(ruled, inner);
          }
          const type = compositeType(fieldOf(parentType, selection.name.value)?.type);
          if (selection.selectionSet && type) walk(selection.selectionSet, type, inner, fieldPath);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? compositeType(schema.getType(selection.typeCondition.name.value)) : parentType;
          if (type) walk(selection.selectionSet, type, here, path);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          // Each fragment is walked once, however often it is spread: its place lies within each spread's.
          const name = selection.name.value;
          const known = fragmentPlaces.get(name);
          if (known) {
            known.within.push(here);
            break;
          }
          const place: Place = { within: [here] };
          fragmentPlaces.set(name, place);
          const definition = fragments.get(name);
          const type = definition && compositeType(schema.getType(definition.typeCondition.name.value));
          if (definition && type) walk(definition.selectionSet, type, place, path);
          break;
        }
      }
    }
  };
  if (rootType) walk(operation.selectionSet, rootType, OPERATION, undefined);

  if (ruledSelections.length === 0) {
    const allowed: AccessDecision = { ...ALLOWED, document };
    return { ruled: false, decide: async () => allowed };
  }

  // Outermost first: a selection's depth is the most ruled fields it lies below, on any of its paths; all
  // the ruled fields above a selection are decided before it is.
  const depths = new Map<Place, number>();
  const depthBelow = (place: Place, visiting: Set<Place>): number => {
    const known = depths.get(place);
    if (known !== undefined) return known;
    if (visiting.has(place)) return 0; // a fragment spreading itself, which validation refuses
    visiting.add(place);
    const depth = Math.max(0, ...place.within.map((outer) => depthBelow(outer, visiting) + (outer.ruled ? 1 : 0)));
    depths.set(place, depth);
    return depth;
  };
  const waves: RuledSelection[][] = [];
  for (const ruled of ruledSelections) {
    ruled.depth = depthBelow(placeOf.get(ruled)!, new Set());
    (waves[ruled.depth] ??= []).push(ruled);
  }
  const roots = rootFieldNodes(operation.selectionSet, fragments);

  return {
    ruled: true,
    async decide(caller, variables) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      if (coerced.errors) {
        // The engine validates variables first; should any get here, nothing of the operation may run.
        const error = coerced.errors[0]!;
        return { refused: new Map(roots.map((node) => [node, error])), key: 'variables', document: null, refusals: [] };
      }
      const values = coerced.coerced;
      const ctx = operationCheckContext(caller);
      const refused = new Map<FieldNode, GraphQLError>();
      const refusals: FieldRefusal[] = [];
      const refusedIndexes: number[] = [];

      // Whether a place is selected with these variables, and not below a refused field. Memoized: every
      // ruled field above a place is decided (an earlier wave) before the place is first asked about.
      const selected = new Map<Place, boolean>();
      const isSelected = (place: Place, visiting: Set<Place>): boolean => {
        const known = selected.get(place);
        if (known !== undefined) return known;
        if (visiting.has(place)) return false;
        visiting.add(place);
        const result =
          (place.conditional === undefined || included(place.conditional, values)) &&
          (place.within.length === 0 || place.within.some((outer) => isSelected(outer, visiting) && !(outer.ruled && refused.has(outer.ruled.node))));
        selected.set(place, result);
        return result;
      };

      const decideOne = async (ruled: RuledSelection): Promise<FieldRefusal | undefined> => {
        for (const check of ruled.checks) {
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(check.field, ruled.node, values);
          } catch (error) {
            return { typeName: check.type.name, fieldName: check.field.name, args: {}, error: refusalError(error instanceof Error ? error : new Error(String(error)), ruled.node) };
          }
          const verdict = await evaluateRule(check.rule, args, ctx, { ...check.info, variableValues: values }, ruled.node);
          if (verdict !== true) return { typeName: check.type.name, fieldName: check.field.name, args, error: verdict };
        }
        return undefined;
      };

      for (const wave of waves) {
        if (!wave) continue;
        const live = wave.filter((ruled) => isSelected(placeOf.get(ruled)!, new Set()));
        const verdicts = await Promise.all(live.map(decideOne));
        verdicts.forEach((refusal, i) => {
          if (!refusal) return;
          const ruled = live[i]!;
          refused.set(ruled.node, refusal.error);
          refusedIndexes.push(ruled.index);
          refusals.push(refusal);
        });
      }

      if (refused.size === 0) return { ...ALLOWED, document };
      return {
        refused,
        key: refusedIndexes.sort((a, b) => a - b).join(','),
        document: withoutRefused(document, operation, new Set(refused.keys())),
        refusals,
      };
    },
  };
}

type Conditional = ConditionalSelection;

/** What a selection's @skip/@include say without variables: never, always, or it depends on them. */
function conditionOf(selection: Conditional): 'never' | 'always' | 'variable' {
  let variable = false;
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== GraphQLSkipDirective.name && name !== GraphQLIncludeDirective.name) continue;
    const value = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (value?.kind === Kind.BOOLEAN) {
      if (value.value === (name === GraphQLSkipDirective.name)) return 'never';
    } else variable = true;
  }
  return variable ? 'variable' : 'always';
}

function compositeType(type: GraphQLType | null | undefined): GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType | undefined {
  const named = type ? getNamedType(type) : undefined;
  return isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? named : undefined;
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

