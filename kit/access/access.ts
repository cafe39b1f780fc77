import type { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../errors.ts';
import { hasScope, isAdmin, type Caller, type Principal, type Scope } from './principal.ts';

/**
 * Who may use a field. Written next to each provider's schema (its `access.ts`), enforced at the gateway
 * by graphql-shield for queries and mutations and by the WebSocket transport for subscriptions, before
 * any subgraph or provider is called.
 */
export interface AccessRule {
  /** Unique per distinct check: graphql-shield caches results under it. */
  readonly name: string;
  /** Whether the answer depends on the field's arguments (else it is cached once per operation). */
  readonly usesArguments: boolean;
  check(caller: Caller, args: Readonly<Record<string, unknown>>): true | GraphQLError;
}

/** Type name → field name → rule. Root fields without a rule are denied (see gateway/authorize). */
export type AccessRules = Readonly<Record<string, Readonly<Record<string, AccessRule>>>>;

/** The same words for every refusal, so that a refusal never says whether the object exists. */
export const unauthenticated = () => gatewayError(ErrorCode.UNAUTHENTICATED, 'Sign in to use this field');
export const forbidden = () => gatewayError(ErrorCode.FORBIDDEN, 'Not allowed');

/** Anyone, signed in or not: public data such as the product catalogue. */
export const publicAccess: AccessRule = { name: 'public', usesArguments: false, check: () => true };

export const authenticated: AccessRule = {
  name: 'authenticated',
  usesArguments: false,
  check: (caller) => (caller.kind === 'user' ? true : unauthenticated()),
};

/** Signed in with this scope (or `admin`, which holds every scope). */
export function scope(required: Scope): AccessRule {
  return {
    name: `scope:${required}`,
    usesArguments: false,
    check: (caller) => (caller.kind !== 'user' ? unauthenticated() : hasScope(caller, required) || isAdmin(caller) ? true : forbidden()),
  };
}

export const adminOnly: AccessRule = {
  name: 'admin',
  usesArguments: false,
  check: (caller) => (caller.kind !== 'user' ? unauthenticated() : isAdmin(caller) ? true : forbidden()),
};

/**
 * The scope, and for non-admins, `owns(principal, args)`: the arguments name something of the caller's
 * own (their customer id, a key under their storage prefix, their linked identity).
 */
export function scopeAndOwnership(name: string, required: Scope, owns: (principal: Principal, args: Readonly<Record<string, unknown>>) => boolean): AccessRule {
  const scoped = scope(required);
  return {
    name: `${scoped.name}+${name}`,
    usesArguments: true,
    check: (caller, args) => {
      const allowed = scoped.check(caller, args);
      if (allowed !== true || isAdmin(caller)) return allowed;
      return caller.kind === 'user' && owns(caller.principal, args) ? true : forbidden();
    },
  };
}

/**
 * Subgraph-side ownership of what was actually fetched: the object when the caller may see it; for
 * anyone else FORBIDDEN, the same answer as for an id that does not exist, so existence never leaks.
 * Admins get the object, or NOT_FOUND.
 */
export function visibleTo<T>(caller: Caller, value: T | null | undefined, isOwner: (principal: Principal, value: T) => boolean, notFound: () => GraphQLError): T {
  if (isAdmin(caller)) {
    if (value === null || value === undefined) throw notFound();
    return value;
  }
  if (caller.kind === 'user' && value !== null && value !== undefined && isOwner(caller.principal, value)) return value;
  throw caller.kind === 'user' ? forbidden() : unauthenticated();
}

/** Throws unless `allowed`; for subgraph-side checks of arguments (defence in depth behind the gateway). */
export function requireAccess(caller: Caller, allowed: (principal: Principal) => boolean): void {
  if (isAdmin(caller)) return;
  if (caller.kind !== 'user') throw unauthenticated();
  if (!allowed(caller.principal)) throw forbidden();
}

/** A key is the caller's when it lies under their storage prefix (which must end with `/`). */
export function underPrefix(prefix: string | undefined, key: unknown): boolean {
  return typeof prefix === 'string' && prefix.endsWith('/') && typeof key === 'string' && key.startsWith(prefix) && !key.slice(prefix.length).split('/').includes('..');
}

/** Throws unless the caller is an admin. */
export function requireAdmin(caller: Caller): void {
  requireAccess(caller, () => false);
}
