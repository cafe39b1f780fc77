import {
  getNamedType,
  isObjectType,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated, type AccessRule, type AccessRules } from '../../kit/access/access.ts';
import { isAdmin, type Caller } from '../../kit/access/principal.ts';

/**
 * The federation authorization directives, as Apollo Router and Hive Router honour them: `@authenticated`,
 * `@requiresScopes(scopes: [[...]])` and `@policy(policies: [[...]])` on fields, objects, interfaces,
 * scalars and enums of the supergraph. They become AccessRules, evaluated by the same operation check
 * as our own rules (refused fields removed before planning, `null` and an error in their place).
 */

/** A named policy `@policy` refers to, registered in code: does this caller satisfy it? */
export type Policy = (caller: Caller) => boolean;
export type Policies = Readonly<Record<string, Policy>>;

/** What one element's directives require; an element's requirement is the AND of all that apply to it. */
interface Requirement {
  authenticated: boolean;
  /** Each entry: one directive's groups, any one of which (all its scopes) suffices. All entries must hold. */
  scopes: string[][][];
  /** As `scopes`, with policy names. */
  policies: string[][][];
}

const SPECS = { authenticated: 'https://specs.apollo.dev/authenticated/', requiresScopes: 'https://specs.apollo.dev/requiresScopes/', policy: 'https://specs.apollo.dev/policy/' } as const;
type Spec = keyof typeof SPECS;

/** Each spec's directive name in this supergraph: the spec's own, unless its `@link(as:)` renamed it. */
function directiveNames(document: DocumentNode): Record<Spec, string> {
  const names: Record<Spec, string> = { authenticated: 'authenticated', requiresScopes: 'requiresScopes', policy: 'policy' };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArgument(link, 'url');
      const as = stringArgument(link, 'as');
      const spec = (Object.keys(SPECS) as Spec[]).find((name) => url?.startsWith(SPECS[name]));
      if (spec && as) names[spec] = as;
    }
  }
  return names;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** `[[String!]!]!` as written; a malformed value requires what nobody has (an empty OR). */
function groups(directive: ConstDirectiveNode, name: string): string[][] {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  const strings = (node: ConstValueNode) => (node.kind === Kind.LIST ? node.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : []);
  return value?.kind === Kind.LIST ? value.values.map(strings) : [];
}

const none = (): Requirement => ({ authenticated: false, scopes: [], policies: [] });
const isEmpty = (r: Requirement) => !r.authenticated && r.scopes.length === 0 && r.policies.length === 0;
const both = (a: Requirement, b: Requirement): Requirement => ({ authenticated: a.authenticated || b.authenticated, scopes: [...a.scopes, ...b.scopes], policies: [...a.policies, ...b.policies] });

function requirementOf(directives: readonly ConstDirectiveNode[] | undefined, names: Record<Spec, string>): Requirement {
  const requirement = none();
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name === names.authenticated) requirement.authenticated = true;
    else if (name === names.requiresScopes) requirement.scopes.push(groups(directive, 'scopes'));
    else if (name === names.policy) requirement.policies.push(groups(directive, 'policies'));
  }
  return requirement;
}

/** Every type's own requirement (objects, interfaces, scalars, enums), and every field's, from the supergraph SDL. */
function declaredRequirements(document: DocumentNode, names: Record<Spec, string>) {
  const types = new Map<string, Requirement>();
  const fields = new Map<string, Requirement>();
  for (const definition of document.definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const typeName = definition.name.value;
    const own = requirementOf(definition.directives, names);
    if (!isEmpty(own)) types.set(typeName, both(types.get(typeName) ?? none(), own));
    if (!('fields' in definition) || definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const required = requirementOf(field.directives, names);
      if (!isEmpty(required)) fields.set(`${typeName}.${field.name.value}`, required);
    }
  }
  return { types, fields };
}

/** Whether the scopes include every scope of at least one group. (`admin` holds every scope, as in our own rules; policies are code and decide for themselves.) */
const satisfiesScopes = (scopes: readonly string[], anyOf: readonly string[][]) => anyOf.some((group) => group.every((scope) => scopes.includes(scope)));

function accessRuleOf(requirement: Requirement, policies: Policies): AccessRule {
  return {
    // Unique per distinct requirement: graphql-shield caches verdicts under the name.
    name: `directives:${JSON.stringify(requirement)}`,
    usesArguments: false,
    check(caller) {
      if (caller.kind !== 'user') return unauthenticated();
      const scopes = caller.principal.scopes;
      if (!isAdmin(caller) && !requirement.scopes.every((anyOf) => satisfiesScopes(scopes, anyOf))) return forbidden();
      // A policy nobody registered is never satisfied (and was named at start-up).
      const holds = (name: string) => policies[name]?.(caller) === true;
      if (!requirement.policies.every((anyOf) => anyOf.some((group) => group.every(holds)))) return forbidden();
      return true;
    },
  };
}

export interface DirectiveRules {
  readonly rules: AccessRules;
  /** Policy names `@policy` uses that no registered policy answers (never satisfied; named at start-up). */
  readonly unknownPolicies: string[];
}

/**
 * The supergraph's authorization directives as AccessRules on the API schema's object fields. A field
 * requires what its own directives say, AND what its type's directives say (type and field levels combine
 * with AND), AND what the directives of the type it returns say (an `@authenticated` scalar, enum, object
 * or interface guards every field returning it). Composition gives an interface (and its fields) the AND
 * of its implementations' requirements, and the operation check applies every implementation's rule to a
 * field selected on an interface, so nothing is lost through an abstract type.
 */
export function directiveRules(supergraph: DocumentNode, schema: GraphQLSchema, policies: Policies): DirectiveRules {
  const names = directiveNames(supergraph);
  const declared = declaredRequirements(supergraph, names);
  const byName = new Map<string, AccessRule>();
  const rules: Record<string, Record<string, AccessRule>> = {};
  const used = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    // Rules live on object types: the operation check applies them through interfaces too.
    for (const field of Object.values(type.getFields())) {
      const required = [declared.fields.get(`${type.name}.${field.name}`), declared.types.get(type.name), declared.types.get(getNamedType(field.type).name)].reduce<Requirement>(
        (all, r) => (r ? both(all, r) : all),
        none(),
      );
      if (isEmpty(required)) continue;
      for (const anyOf of required.policies) for (const group of anyOf) for (const name of group) used.add(name);
      const rule = accessRuleOf(required, policies);
      (rules[type.name] ??= {})[field.name] = byName.get(rule.name) ?? byName.set(rule.name, rule).get(rule.name)!;
    }
  }
  return { rules, unknownPolicies: [...used].filter((name) => !policies[name]).sort() };
}

/** Two rules for one field: both must allow it. */
function allOf(first: AccessRule, second: AccessRule): AccessRule {
  return {
    name: `${first.name}&${second.name}`,
    usesArguments: first.usesArguments || second.usesArguments,
    check: (caller, args) => {
      const allowed = first.check(caller, args);
      return allowed === true ? second.check(caller, args) : allowed;
    },
  };
}

/** Our rules and the supergraph's directives together: where both guard a field, both must allow it. */
export function withDirectiveRules(given: AccessRules, directives: AccessRules): AccessRules {
  const combined: Record<string, Record<string, AccessRule>> = Object.fromEntries(Object.entries(given).map(([type, fields]) => [type, { ...fields }]));
  for (const [type, fields] of Object.entries(directives)) {
    for (const [field, rule] of Object.entries(fields)) {
      const existing = combined[type]?.[field];
      (combined[type] ??= {})[field] = existing ? allOf(existing, rule) : rule;
    }
  }
  return combined;
}
