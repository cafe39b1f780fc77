import type { GraphQLError } from 'graphql';
import { ownError } from '../../kit/resilience/policy-fetch.ts';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { rateLimited } from '../../kit/resilience/quota.ts';

/** An HTTP failure as @octokit/request reports it (RequestError), read by shape. */
interface HttpFailure {
  name: 'HttpError';
  status: number;
  response?: { headers?: Record<string, string | undefined> };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'HttpError' && typeof (error as { status?: unknown }).status === 'number';
}

/** A GraphQL-level failure (GraphqlResponseError): GitHub answered 200 with `errors`, maybe with partial data. */
export interface GraphqlFailure {
  name: 'GraphqlResponseError';
  data?: Record<string, unknown> | null;
  errors?: { type?: string; path?: (string | number)[]; message: string }[];
}

export function isGraphqlFailure(error: unknown): error is GraphqlFailure {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'GraphqlResponseError';
}

/** Maps what Octokit throws to a stable code; never passes on the token or GitHub's internal messages. */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  // Ours already (RATE_LIMITED from the quota tracker, the policy's PROVIDER_TIMEOUT inside Octokit's error).
  const own = ownError(error);
  if (own) return own;
  const provider = { provider: 'github' };
  if (isHttpFailure(error)) {
    const headers = error.response?.headers ?? {};
    const spent = headers['x-ratelimit-remaining'] === '0' || error.status === 429;
    if (spent || (error.status === 403 && headers['retry-after'])) {
      const reset = Number(headers['x-ratelimit-reset']);
      const retryAfter = Number(headers['retry-after']) || (reset ? Math.ceil(reset - Date.now() / 1000) : 60);
      return rateLimited('github', retryAfter);
    }
    if (error.status === 404) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    logger.error({ err: { status: error.status } }, 'github request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub is unavailable', provider);
  }
  if (isGraphqlFailure(error)) {
    const types = new Set((error.errors ?? []).map((e) => e.type));
    if (types.has('NOT_FOUND')) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    if (types.has('RATE_LIMITED')) return rateLimited('github', 60);
    if (types.has('FORBIDDEN')) return gatewayError(ErrorCode.FORBIDDEN, 'GitHub refused this operation', provider);
    logger.error({ err: { errors: error.errors?.map((e) => ({ type: e.type, path: e.path })) } }, 'github query failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub could not answer', provider);
  }
  logger.error({ err: error }, 'github request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'GitHub is unavailable', provider);
}
