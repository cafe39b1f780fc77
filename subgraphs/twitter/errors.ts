import { ApiResponseError } from 'twitter-api-v2';
import { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { rateLimited } from '../../kit/resilience/quota.ts';
import { bindingQuota } from './quota-plugin.ts';

/** Maps twitter-api-v2's errors to stable codes; X's own messages stay in the logs. */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  // Ours already (RATE_LIMITED from the quota tracker, say): keep it.
  if (error instanceof GraphQLError) return error;
  const provider = { provider: 'twitter' };
  if (error instanceof ApiResponseError) {
    if (error.rateLimitError || error.code === 429) {
      // Whichever cap is spent: a 24-hour cap's reset, not the 15-minute window's, when that is the one.
      const resetAt = error.rateLimit ? bindingQuota(error.rateLimit).resetAt : undefined;
      return rateLimited('twitter', resetAt ? Math.ceil((resetAt - Date.now()) / 1000) : 60);
    }
    // Only the app's bearer token reaches here (user-context calls go through asXAccount): a setup problem, not an outage.
    if (error.code === 401) return gatewayError(ErrorCode.UNAUTHENTICATED, 'X refused the configured app credentials (TWITTER_BEARER_TOKEN)', provider);
    if (error.code === 404) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    if (error.code === 400) return gatewayError(ErrorCode.BAD_USER_INPUT, 'X refused the request as invalid', provider);
    if (error.code === 403) return gatewayError(ErrorCode.FORBIDDEN, 'X refused this operation', provider);
    logger.error({ err: { status: error.code } }, 'twitter request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'X is unavailable', provider);
  }
  logger.error({ err: error }, 'twitter request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'X is unavailable', provider);
}

/**
 * X answers 401 once the OAuth 2.0 user token has expired (two hours after it was issued) or was revoked;
 * its body does not say which. Neither is an outage: a credential problem the operator fixes by connecting
 * the X account again, so never PROVIDER_UNAVAILABLE (which would count towards the breaker).
 */
export function xConnectionExpired(): GraphQLError {
  return gatewayError(ErrorCode.UNAUTHENTICATED, 'The X account connection has expired or was revoked; connect the X account again (TWITTER_USER_ACCESS_TOKEN)', {
    provider: 'twitter',
    reason: 'X_CREDENTIALS_EXPIRED',
  });
}

/** Runs a user-context call (posting, deleting, `users/me`), answering X's 401 as an expired X account connection. */
export async function asXAccount<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof ApiResponseError && error.code === 401 ? xConnectionExpired() : error;
  }
}
