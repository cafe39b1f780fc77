import type { JWTPayload } from 'jose';
import type { Principal } from '../../kit/access/principal.ts';

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
