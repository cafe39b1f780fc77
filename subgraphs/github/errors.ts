import type { GraphQLError } from 'graphql';
import { ownError } from '../../kit/resilience/policy-fetch.ts';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { rateLimited } from '../../kit/resilience/quota.ts';

/** An HTTP failure as @octokit/request reports it (RequestError), read by shape. */
interface HttpFailure {
  name: 'HttpError';
  status: number;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'HttpError' && typeof (error as { status?: unknown }).status === 'number';
}

/** GitHub's 401 ("Bad credentials"): a user token that expired, was replaced by a refresh, or was revoked. */
export function isUnauthorized(error: unknown): boolean {
  return isHttpFailure(error) && error.status === 401;
}

/** A GraphQL-level failure (GraphqlResponseError): GitHub answered 200 with `errors`, maybe with partial data. */
export interface GraphqlFailure {
  name: 'GraphqlResponseError';
  data?: Record<string, unknown> | null;
  errors?: { type?: string; path?: (string | number)[]; message: string }[];
  /** The answer's headers (absent on the per-alias errors batchedLookup makes). */
  headers?: Record<string, string | number | undefined>;
}

export function isGraphqlFailure(error: unknown): error is GraphqlFailure {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'GraphqlResponseError';
}

/** What GitHub asks of a client it throttled: wait this long before calling again. */
export interface GitHubRateLimit {
  /** `primary`: the hourly window is spent (until `x-ratelimit-reset`); `secondary`: too much too fast. */
  kind: 'primary' | 'secondary';
  retryAfterSeconds: number;
}

/** GitHub's advice when a secondary rate limit says nothing: wait a minute. */
export const SECONDARY_RATE_LIMIT_WAIT_SECONDS = 60;

/**
 * Whether GitHub throttled this call, and for how long, from what Octokit threw:
 * - primary (GraphQL): HTTP 200 with an error of `type: "RATE_LIMITED"`: until `x-ratelimit-reset`;
 * - secondary: a message saying "secondary rate limit", on a 403 (or 429, or 200 with `errors`), whatever
 *   `x-ratelimit-remaining` says: `retry-after` when given, else one minute;
 * - a REST-style refusal (403/429 with `x-ratelimit-remaining: 0`): until `x-ratelimit-reset`.
 */
export function githubRateLimit(error: unknown, nowMs: number = Date.now()): GitHubRateLimit | undefined {
  let headers: Record<string, string | number | undefined>;
  let messages: string[];
  let primary: boolean;
  if (isHttpFailure(error)) {
    if (error.status !== 403 && error.status !== 429) return undefined;
    headers = error.response?.headers ?? {};
    const data = error.response?.data;
    messages = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? [(data as { message: string }).message] : [];
    primary = String(headers['x-ratelimit-remaining']) === '0';
    // Any other 403 is a refusal, not throttling (unless GitHub says so); a 429 always throttles.
    if (!primary && error.status === 403 && headers['retry-after'] === undefined && !messages.some(isSecondary)) return undefined;
  } else if (isGraphqlFailure(error)) {
    headers = error.headers ?? {};
    messages = (error.errors ?? []).map((e) => e.message);
    primary = (error.errors ?? []).some((e) => e.type === 'RATE_LIMITED');
    if (!primary && !messages.some(isSecondary)) return undefined;
  } else {
    return undefined;
  }
  const retryAfter = Number(headers['retry-after']);
  if (messages.some(isSecondary) || !primary) {
    return { kind: 'secondary', retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : SECONDARY_RATE_LIMIT_WAIT_SECONDS };
  }
  const reset = Number(headers['x-ratelimit-reset']);
  const untilReset = Number.isFinite(reset) && reset > 0 ? Math.ceil(reset - nowMs / 1000) : SECONDARY_RATE_LIMIT_WAIT_SECONDS;
  return { kind: 'primary', retryAfterSeconds: Math.max(1, untilReset) };
}

const isSecondary = (message: string) => /secondary rate limit/i.test(message);

/** The scopes GitHub's INSUFFICIENT_SCOPES message says the field needs ("requires one of the following scopes: ['repo']"). */
function requiredScopes(message: string): string[] {
  const list = /requires one of the following scopes: \[([^\]]*)\]/.exec(message)?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

/** Maps what Octokit throws to a stable code; never passes on the token or GitHub's internal messages. */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  // Ours already (RATE_LIMITED from the quota tracker, the policy's PROVIDER_TIMEOUT inside Octokit's error).
  const own = ownError(error);
  if (own) return own;
  const provider = { provider: 'github' };
  const throttled = githubRateLimit(error);
  if (throttled) return rateLimited('github', throttled.retryAfterSeconds);
  if (isHttpFailure(error)) {
    if (error.status === 404) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    logger.error({ err: { status: error.status } }, 'github request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub is unavailable', provider);
  }
  if (isGraphqlFailure(error)) {
    const types = new Set((error.errors ?? []).map((e) => e.type));
    if (types.has('NOT_FOUND')) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    const unscoped = (error.errors ?? []).find((e) => e.type === 'INSUFFICIENT_SCOPES');
    if (unscoped) {
      const scopes = requiredScopes(unscoped.message);
      const needed = scopes.length > 0 ? `: it needs one of ${scopes.join(', ')}` : '';
      return gatewayError(ErrorCode.FORBIDDEN, `The GitHub token is missing a scope this operation requires${needed}`, { ...provider, requiredScopes: scopes });
    }
    if (types.has('FORBIDDEN')) return gatewayError(ErrorCode.FORBIDDEN, 'GitHub refused this operation', provider);
    logger.error({ err: { errors: error.errors?.map((e) => ({ type: e.type, path: e.path })) } }, 'github query failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub could not answer', provider);
  }
  logger.error({ err: error }, 'github request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub is unavailable', provider);
}
