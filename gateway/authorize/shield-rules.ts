import { GraphQLError, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { createRequire } from 'node:module';
import type * as GraphQLShield from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import { forbidden, type AccessRule, type AccessRules } from '../../kit/access/access.ts';
import type { Caller } from '../../kit/access/principal.ts';
import { ErrorCode } from '../../kit/errors.ts';

// Library boundary: graphql-shield 7.6.5's ESM build imports `isUndefined` from node:util, which Node 23
// removed, so importing it fails on Node 24. Its CommonJS build calls that only in
// `chain` and `race`, which is why they are not offered here.
const graphqlShield = createRequire(import.meta.url)('graphql-shield') as typeof GraphQLShield;

/** graphql-shield's rule language, loaded the way that works on every Node: write custom rules with these. */
export const { rule, and, or, not, allow, deny, shield } = graphqlShield;

/** A graphql-shield rule: `rule(...)(fn)`, or `and`/`or`/`not` of rules, or `allow`/`deny`. */
export type ShieldRule = Parameters<typeof GraphQLShield.and>[number];
/** Type name → field name → graphql-shield rule. Root fields without one are denied. */
export type ShieldRules = Readonly<Record<string, Readonly<Record<string, ShieldRule>>>>;
type ShieldOptions = Parameters<IRule['resolve']>[4];
type ShieldContext = Parameters<IRule['resolve']>[2];

/**
 * The `ctx` rules get when an operation is checked before it is planned: the caller, and graphql-shield's
 * cache, fresh for every check of an operation (so that no verdict outlives the request it was made for).
 */
export interface OperationCheckContext {
  readonly caller: Caller;
  readonly _shield: ShieldContext['_shield'];
}

export function operationCheckContext(caller: Caller): OperationCheckContext {
  return { caller, _shield: { cache: {} } };
}

/**
 * An AccessRule as a graphql-shield rule. Rules that read only the caller are cached per check of an
 * operation ('contextual': once however many fields use it); the others per distinct arguments.
 */
function shieldRuleOf(access: AccessRule): ShieldRule {
  const cache = access.usesArguments ? (_parent: unknown, args: unknown) => JSON.stringify(args) : ('contextual' as const);
  return rule(access.name, { cache })((_parent: unknown, args: Record<string, unknown>, ctx: OperationCheckContext) => access.check(ctx.caller, args));
}

/** The AccessRules as graphql-shield rules, one Rule object per rule name (names key shield's cache). Built once at start-up. */
export function shieldRules(rules: AccessRules): ShieldRules {
  const byName = new Map<string, ShieldRule>();
  const ruleFor = (access: AccessRule) => byName.get(access.name) ?? byName.set(access.name, shieldRuleOf(access)).get(access.name)!;
  return Object.fromEntries(Object.entries(rules).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([field, access]) => [field, ruleFor(access)]))]));
}

const OPTIONS: ShieldOptions = {
  // A rule that throws is refused (as shield does without `debug`), never let through.
  debug: false,
  allowExternalErrors: false,
  fallbackRule: allow,
  fallbackError: () => forbidden(),
  // For rules with `cache: 'strict'`. Before execution there is no parent object, only arguments.
  hashFunction: ({ args }) => JSON.stringify(args),
};

/**
 * Runs one rule for one selection: `true`, or the refusal error located at the selection. A rule's own
 * error keeps its message and `extensions` (an Error without a code is FORBIDDEN); `false` is FORBIDDEN.
 */
export async function evaluateRule(shieldRule: ShieldRule, args: Record<string, unknown>, ctx: OperationCheckContext, info: GraphQLResolveInfo, node: FieldNode): Promise<true | GraphQLError> {
  let verdict: unknown;
  try {
    // Library boundary: shield's types want a parent object; before execution there is none, and a rule
    // that reads one fails (and so refuses) rather than deciding on an empty object.
    verdict = await shieldRule.resolve(undefined as unknown as object, args, ctx, info, OPTIONS);
  } catch {
    verdict = false; // as shield's middleware does with a throwing rule (no `debug`, no external errors)
  }
  if (verdict === true) return true;
  if (typeof verdict === 'string') verdict = new Error(verdict); // as shield's Rule does with a string
  return refusalError(verdict instanceof Error ? verdict : forbidden(), node);
}

export function refusalError(original: Error, node: FieldNode): GraphQLError {
  const extensions = original instanceof GraphQLError ? original.extensions : {};
  return new GraphQLError(original.message, {
    nodes: [node],
    extensions: { ...extensions, code: extensions['code'] ?? ErrorCode.FORBIDDEN },
    ...(original instanceof GraphQLError ? {} : { originalError: original }),
  });
}
