import { ApiResponseError } from 'twitter-api-v2';
import { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { rateLimited } from '../../kit/resilience/quota.ts';

/** Maps twitter-api-v2's errors to stable codes; X's own messages stay in the logs. */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  // Ours already (RATE_LIMITED from the quota tracker, say): keep it.
  if (error instanceof GraphQLError) return error;
  const provider = { provider: 'twitter' };
  if (error instanceof ApiResponseError) {
    if (error.rateLimitError || error.code === 429) {
      const reset = error.rateLimit?.reset;
      return rateLimited('twitter', reset ? Math.ceil(reset - Date.now() / 1000) : 60);
    }
    if (error.code === 404) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', provider);
    if (error.code === 400) return gatewayError(ErrorCode.BAD_USER_INPUT, 'X refused the request as invalid', provider);
    if (error.code === 403) return gatewayError(ErrorCode.FORBIDDEN, 'X refused this operation', provider);
    logger.error({ err: { status: error.code } }, 'twitter request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'X is unavailable', provider);
  }
  logger.error({ err: error }, 'twitter request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'X is unavailable', provider);
}
