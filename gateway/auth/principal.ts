import type { JWTPayload } from 'jose';

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
