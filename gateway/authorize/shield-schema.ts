import type { GraphQLError, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { IRules } from 'graphql-shield';
import { forbidden, type AccessRule, type AccessRules } from '../../kit/access/access.ts';
import type { GatewayContext } from '../execute/gateway-context.ts';

// graphql-shield is loaded once, through its CommonJS build (shield-rules.ts says why).
import { allow, rule, shield } from './shield-rules.ts';

/** A field the rules refused, for the audit trail (mutations only). */
export interface Refusal {
  info: GraphQLResolveInfo;
  args: Record<string, unknown>;
  context: GatewayContext;
  error: GraphQLError;
}

function shieldRule(access: AccessRule, onRefusal?: (refusal: Refusal) => void) {
  // Rules that read only the caller run once per operation; the others once per distinct arguments (never
  // per parent object: no rule reads it, and hashing large parents would cost more than the rule).
  // Mutation rules run for every field, so that each refused mutation is audited.
  const cache = onRefusal ? 'no_cache' : access.usesArguments ? (_parent: unknown, args: unknown) => JSON.stringify(args) : 'contextual';
  return rule(onRefusal ? `${access.name}@mutation` : access.name, { cache })((_parent, args: Record<string, unknown>, context: GatewayContext, info) => {
    const verdict = access.check(context.caller, args);
    if (verdict !== true) onRefusal?.({ info, args, context, error: verdict });
    return verdict;
  });
}

/**
 * The schema with graphql-shield in front of every ruled field. Shield would wrap every field of every
 * type (with `allow` where there is no rule), which costs a promise per resolved value; only the fields
 * that have a rule are wrapped here.
 */
export function shieldSchema(schema: GraphQLSchema, rules: AccessRules, onMutationRefused?: (refusal: Refusal) => void): GraphQLSchema {
  // Shield wants one rule object per name (names key its cache), however many fields share it.
  const byName = new Map<string, ReturnType<typeof shieldRule>>();
  const mutationType = schema.getMutationType()?.name;
  const ruleFor = (type: string, access: AccessRule) => {
    const refusals = type === mutationType ? (onMutationRefused ?? (() => {})) : undefined;
    const key = `${access.name}${refusals ? '@mutation' : ''}`;
    return byName.get(key) ?? byName.set(key, shieldRule(access, refusals)).get(key)!;
  };
  const tree: IRules = Object.fromEntries(
    Object.entries(rules).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([field, access]) => [field, ruleFor(type, access)]))]),
  );
  const generated = shield(tree, {
    fallbackRule: allow,
    fallbackError: () => forbidden(),
    // Errors of the field itself (NOT_FOUND from a subgraph, say) pass through as they are.
    allowExternalErrors: true,
  }).generate(schema) as Record<string, Record<string, unknown>>;
  const ruledOnly = Object.fromEntries(
    Object.entries(rules).map(([type, fields]) => [type, Object.fromEntries(Object.keys(fields).map((field) => [field, generated[type]![field]]))]),
  );
  // Library boundary: graphql-middleware's map type is `any`-typed; the values are shield's own middleware.
  return applyMiddleware(schema, ruledOnly as Parameters<typeof applyMiddleware>[1]);
}
