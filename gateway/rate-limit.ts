import { HeaderMap } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { CacheStore } from '../kit/cache/cache-store.ts';
import { ErrorCode, gatewayError } from '../kit/errors.ts';
import { callerId, type Caller } from '../kit/access/principal.ts';
import type { Logger } from '../kit/logger.ts';
import type { RateLimit } from './limits.ts';

/** Spends `cost` operations of a caller's allowance; resolves with a refusal when it is spent. */
export type RateLimiter = (key: string, cost: number) => Promise<{ retryAfterSeconds: number } | undefined>;

const NAMESPACE = 'rate-limit';

/**
 * A token bucket per key in the cache store: one allowance per principal across every replica (Redis).
 * When the store cannot answer (Redis down), `onStoreError` decides: `open` lets the operation through
 * (availability first, the default), `closed` refuses it with a retry in a second (protection first).
 */
export function createRateLimiter(store: CacheStore, limit: RateLimit, { onStoreError = 'open', logger }: { onStoreError?: 'open' | 'closed'; logger?: Logger } = {}): RateLimiter {
  const bucket = { capacity: limit.burst, refillPerSecond: limit.perSecond };
  return async (key, cost) => {
    let decision;
    try {
      decision = await store.takeTokens(NAMESPACE, key, bucket, Math.max(1, Math.min(cost, limit.burst)));
    } catch (err) {
      logger?.warn({ err, onStoreError }, 'rate limit store unavailable');
      return onStoreError === 'open' ? undefined : { retryAfterSeconds: 1 };
    }
    return decision.allowed ? undefined : { retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  };
}

/** Whose allowance an operation spends: the principal's, or for anonymous callers their address's. */
export function rateLimitKey(caller: Caller, remoteAddress: string | undefined): string {
  return caller.kind === 'user' ? callerId(caller) : `address:${remoteAddress ?? 'unknown'}`;
}

/** RATE_LIMITED with `retryAfter` (seconds); over HTTP also status 429 and a Retry-After header. */
export function rateLimitedError(retryAfterSeconds: number, transport: 'http' | 'websocket'): GraphQLError {
  const http = { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) };
  return gatewayError(ErrorCode.RATE_LIMITED, `Too many requests: retry after ${retryAfterSeconds} s`, {
    retryAfter: retryAfterSeconds,
    ...(transport === 'http' ? { http } : {}),
  });
}
