import type { JWTPayload } from 'jose';
import type { Caller, Principal } from '../../kit/access/principal.ts';

export { ANONYMOUS_CALLER, type Caller, type Principal } from '../../kit/access/principal.ts';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The principal a verified token describes. Scopes come from `scope` (OAuth's space-separated string) or
 * `scopes` (an array); linked identities from `customer`, `github`, `twitter` and `storage_prefix`.
 */
export function principalFromClaims(claims: JWTPayload): Principal {
  const scope = claims['scope'];
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : Array.isArray(claims['scopes']) ? claims['scopes'].filter((s): s is string => typeof s === 'string') : [];
  return {
    subject: claims.sub!,
    scopes,
    customerId: text(claims['customer']),
    githubLogin: text(claims['github']),
    twitterUsername: text(claims['twitter']),
    storagePrefix: text(claims['storage_prefix']),
  };
}

/**
 * Everything that decides what a caller may see, in a fixed order: the session an answer belongs to (the
 * response cache's entries, operations in flight shared by identical requests). Two callers share only if
 * they are the same principal with the same scopes and linked accounts, so an answer can never reach
 * anyone it was not computed for; null for anonymous callers.
 */
export function sessionOf(caller: Caller): string | null {
  if (caller.kind !== 'user') return null;
  const { principal } = caller;
  const fields = Object.keys(principal).sort() as (keyof typeof principal)[];
  return JSON.stringify(fields.map((field) => [field, field === 'scopes' ? [...principal.scopes].sort() : principal[field]]));
}
