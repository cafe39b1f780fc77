import { isObjectType, type GraphQLSchema } from 'graphql';
import { authenticated, forbidden, publicAccess, type AccessRule, type AccessRules } from '../../kit/access/access.ts';

/** What a root field without a rule gets: nobody may use it until someone decides who may. */
export const UNRULED: AccessRule = { name: 'unruled', usesArguments: false, check: () => forbidden() };

/** Every field of Query, Mutation and Subscription, as `Type.field`. */
export function rootFields(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
  );
}

/** Providers' rules as one tree; two different rules for one field is a mistake worth failing start-up over. */
export function mergeAccessRules(sets: readonly AccessRules[]): AccessRules {
  const merged: Record<string, Record<string, AccessRule>> = {};
  for (const set of sets) {
    for (const [type, fields] of Object.entries(set)) {
      for (const [field, rule] of Object.entries(fields)) {
        const existing = merged[type]?.[field];
        if (existing && existing.name !== rule.name) throw new Error(`two access rules for ${type}.${field}: "${existing.name}" and "${rule.name}"`);
        (merged[type] ??= {})[field] = rule;
      }
    }
  }
  return merged;
}

/**
 * What a root field without a rule of its own gets: denied to everyone (the default), allowed to any
 * signed-in caller, or to everyone. A choice made by whoever deploys the gateway, never an accident.
 */
export const DEFAULT_ACCESS = { deny: UNRULED, authenticated, public: publicAccess } as const satisfies Record<string, AccessRule>;
export type DefaultAccess = keyof typeof DEFAULT_ACCESS;
export const isDefaultAccess = (value: string): value is DefaultAccess => Object.hasOwn(DEFAULT_ACCESS, value);

export interface AccessPolicy {
  /** The rules the schema is guarded with: every root field has one. */
  rules: AccessRules;
  /** Root fields that had no rule and got the default access (logged at start-up). */
  unruled: string[];
}

/**
 * Deny by default: every root field of the schema gets its rule, or the default access (UNRULED unless
 * `defaultAccess` says otherwise). Other types' fields are
 * guarded only where a rule names them (their root field already was), so fields without a rule cost
 * nothing per resolved value. Rules for types or fields the schema does not have are refused (a typo must
 * not leave a field open), unless `ignoreMissing`: a gateway serving someone else's supergraph.
 */
export function accessPolicy(
  schema: GraphQLSchema,
  given: AccessRules,
  { ignoreMissing = false, defaultAccess = 'deny' }: { ignoreMissing?: boolean; defaultAccess?: DefaultAccess } = {},
): AccessPolicy {
  const rules: Record<string, Record<string, AccessRule>> = {};
  for (const [typeName, fields] of Object.entries(given)) {
    const type = schema.getType(typeName);
    const present = Object.entries(fields).filter(([field]) => isObjectType(type) && type.getFields()[field]);
    const missing = Object.keys(fields).filter((field) => !present.some(([name]) => name === field));
    if (missing.length > 0 && !ignoreMissing) throw new Error(`access rules name ${missing.map((f) => `${typeName}.${f}`).join(', ')}, which the schema does not have`);
    if (present.length > 0) rules[typeName] = Object.fromEntries(present);
  }
  const unruled: string[] = [];
  for (const coordinate of rootFields(schema)) {
    const [type, field] = coordinate.split('.') as [string, string];
    if (!rules[type]?.[field]) {
      unruled.push(coordinate);
      (rules[type] ??= {})[field] = DEFAULT_ACCESS[defaultAccess];
    }
  }
  return { rules, unruled };
}

/** The start-up warning for root fields that got the default access: how many, what that means, what to do. */
export function unruledWarning(defaultAccess: DefaultAccess, count: number): string {
  const fields = `${count} root field${count === 1 ? '' : 's'} without an access rule`;
  switch (defaultAccess) {
    case 'deny':
      return `${fields}: denied to everyone. Give them rules, or choose a default (gateway --default-access authenticated|public)`;
    case 'authenticated':
      return `${fields}: open to any signed-in caller (default access "authenticated")`;
    case 'public':
      return `${fields}: open to everyone, anonymous callers included (default access "public")`;
  }
}
