/** An authenticated caller: who they are, what they may do, and the provider identities linked to them. */
export interface Principal {
  subject: string;
  scopes: readonly string[];
  customerId?: string | undefined;
  githubLogin?: string | undefined;
  twitterUsername?: string | undefined;
  storagePrefix?: string | undefined;
}

export type Caller = { readonly kind: 'anonymous' } | { readonly kind: 'user'; readonly principal: Principal };
export const ANONYMOUS_CALLER: Caller = Object.freeze({ kind: 'anonymous' });

/** The capabilities a token can grant (README: Authorization). `admin` may act on anyone's data. */
export const SCOPES = ['payments:read', 'payments:write', 'social:read', 'social:write', 'storage:read', 'storage:write', 'webhooks:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.kind === 'user' && caller.principal.scopes.includes(scope);
}

export function isAdmin(caller: Caller): boolean {
  return hasScope(caller, 'admin');
}

/** The principal of an authenticated caller; undefined for anonymous ones. */
export function principalOf(caller: Caller): Principal | undefined {
  return caller.kind === 'user' ? caller.principal : undefined;
}

/**
 * A stable id for scoping per-caller things (idempotency keys, caller-scoped cache entries). Subjects are
 * prefixed so that no subject can ever collide with the anonymous caller's id.
 */
export function callerId(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.principal.subject}` : 'anonymous';
}
