import type { TokenBucketLimit, TokenDecision } from '../cache/cache-store.ts';

/** A bucket as last written: its tokens (fractional) at `updatedAt` (ms). */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/**
 * Tolerance on the token count. Refill arithmetic in floating point lands a hair off whole numbers
 * (499 ms at 2/s is not exactly 0.998 tokens), and a request that waited exactly the retryAfterMs it was told
 * must not be refused for that. retryAfterMs leaves out half of it, so that the wait it names always suffices.
 */
const EPSILON = 1e-9;

/** Rejects limits and costs that could never be met; a silent refusal forever would look like a real limit. */
export function assertTokenRequest(limit: TokenBucketLimit, cost: number): void {
  if (!(Number.isFinite(limit.capacity) && limit.capacity > 0)) throw new RangeError(`token bucket capacity must be a positive number, got ${limit.capacity}`);
  if (!(Number.isFinite(limit.refillPerSecond) && limit.refillPerSecond > 0)) {
    throw new RangeError(`token bucket refillPerSecond must be a positive number, got ${limit.refillPerSecond}`);
  }
  if (!(Number.isFinite(cost) && cost > 0 && cost <= limit.capacity)) {
    throw new RangeError(`token cost must be positive and at most the capacity (${limit.capacity}), got ${cost}`);
  }
}

/** How long an emptied bucket takes to fill again: past that, an idle bucket equals a missing one and may expire. */
export function fullRefillMs(limit: TokenBucketLimit): number {
  return Math.max(1000, Math.ceil((limit.capacity / limit.refillPerSecond) * 1000));
}

/** The tokens a bucket holds at `now`; a missing bucket is full. A clock that went back refills nothing. */
export function tokensAt(state: BucketState | undefined, limit: TokenBucketLimit, now: number): number {
  if (!state) return limit.capacity;
  const elapsed = Math.max(0, now - state.updatedAt);
  return Math.min(limit.capacity, state.tokens + elapsed * (limit.refillPerSecond / 1000));
}

/** When (ms) the bucket will be full again, left alone. */
export function fullAt(state: BucketState, limit: TokenBucketLimit): number {
  return state.updatedAt + Math.max(0, limit.capacity - state.tokens) / (limit.refillPerSecond / 1000);
}

/**
 * The whole decision, pure: refill up to `now`, then take `cost` if there is enough. Returns the state to store,
 * which is the refilled one when refused (equivalent to the old one, since refill is continuous).
 * TAKE_TOKENS_SCRIPT below is the same arithmetic in Lua; change both together.
 */
export function takeFromBucket(
  state: BucketState | undefined,
  limit: TokenBucketLimit,
  cost: number,
  now: number,
): { decision: TokenDecision; state: BucketState } {
  assertTokenRequest(limit, cost);
  const tokens = tokensAt(state, limit, now);
  if (tokens + EPSILON >= cost) {
    const left = Math.max(0, tokens - cost);
    return { decision: { allowed: true, remaining: Math.floor(left + EPSILON), retryAfterMs: 0 }, state: { tokens: left, updatedAt: now } };
  }
  const retryAfterMs = Math.ceil((cost - tokens - EPSILON / 2) / (limit.refillPerSecond / 1000));
  return { decision: { allowed: false, remaining: Math.floor(tokens + EPSILON), retryAfterMs }, state: { tokens, updatedAt: now } };
}

/**
 * takeFromBucket as one Redis script, so that read, refill and write cannot interleave across replicas.
 * Time is the server's (TIME), so replicas with skewed clocks agree. A refused take writes nothing: the stored
 * state and its TTL still describe the bucket. The TTL is the full-refill time, after which a missing key and an
 * idle bucket are the same thing. Numbers are stored with %.17g so that no precision is lost on the way back.
 * KEYS[1]: the bucket's hash; ARGV: capacity, refillPerSecond, cost, ttlMs. Returns {allowed 0|1, remaining, retryAfterMs}.
 */
export const TAKE_TOKENS_SCRIPT = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local cost = tonumber(ARGV[3])
local ttlMs = tonumber(ARGV[4])
local epsilon = ${EPSILON}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = capacity
local storedTokens = tonumber(stored[1])
local storedAt = tonumber(stored[2])
if storedTokens and storedAt then
  tokens = math.min(capacity, storedTokens + math.max(0, now - storedAt) * perMs)
end
if tokens + epsilon >= cost then
  local left = math.max(0, tokens - cost)
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', left), 'ts', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[1], ttlMs)
  return {1, math.floor(left + epsilon), 0}
end
return {0, math.floor(tokens + epsilon), math.ceil((cost - tokens - epsilon / 2) / perMs)}
`;

/** The script's reply as a TokenDecision; anything else means the script and this code disagree. */
export function decisionFromReply(reply: unknown): TokenDecision {
  if (Array.isArray(reply) && reply.length === 3 && reply.every((n): n is number => typeof n === 'number')) {
    const [allowed, remaining, retryAfterMs] = reply as [number, number, number];
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }
  throw new Error(`unexpected token bucket reply from Redis: ${JSON.stringify(reply)}`);
}
