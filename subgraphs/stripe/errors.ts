import Stripe from 'stripe';
import { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { providerCall } from '../../kit/resilience/provider-call.ts';
import { ownError } from '../../kit/resilience/policy-fetch.ts';
import { REFUSED_CODE_HEADER } from './client.ts';

/** Is this Stripe saying "no such object"? */
export function isResourceMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && (error.code === 'resource_missing' || error.statusCode === 404);
}

/**
 * Maps an SDK error to a stable code, keeping Stripe's request id (for support tickets) and, for card
 * errors, the decline code a checkout form shows. Never the key, never Stripe's raw message for
 * authentication problems (ours to fix, not the caller's).
 */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  const own = ownError(error);
  if (own) return own;
  if (error instanceof Stripe.errors.StripeError) {
    const extensions = { provider: 'stripe', ...(error.requestId ? { providerRequestId: error.requestId } : {}) };
    // Refused by the provider policy (open breaker, full bulkhead, timeout), never sent to Stripe.
    const refused = error.headers?.[REFUSED_CODE_HEADER];
    if (refused === ErrorCode.PROVIDER_TIMEOUT || refused === ErrorCode.PROVIDER_UNAVAILABLE) return gatewayError(refused, error.message, { provider: 'stripe' });
    if (error instanceof Stripe.errors.StripeCardError) {
      return gatewayError(ErrorCode.CARD_DECLINED, error.message, {
        ...extensions,
        declineCode: error.decline_code ?? null,
        stripeCode: error.code ?? null,
      });
    }
    if (error instanceof Stripe.errors.StripeIdempotencyError) {
      return gatewayError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was already used with different input', extensions);
    }
    if (isResourceMissing(error)) {
      // Stripe's own words name what is missing ("No such PaymentMethod: 'pm_…'"): only the id the caller sent.
      const message = error.message?.startsWith('No such ') ? error.message : 'Not found';
      return gatewayError(ErrorCode.NOT_FOUND, message, { ...extensions, ...(error.param ? { argument: error.param } : {}) });
    }
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      return gatewayError(ErrorCode.BAD_USER_INPUT, error.message, { ...extensions, ...(error.param ? { argument: error.param } : {}) });
    }
    if (error instanceof Stripe.errors.StripeRateLimitError) {
      return gatewayError(ErrorCode.RATE_LIMITED, 'The payments provider is throttling requests', extensions);
    }
    logger.error({ err: { type: error.type, code: error.code, statusCode: error.statusCode, requestId: error.requestId } }, 'stripe request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'The payments provider is unavailable', extensions);
  }
  logger.error({ err: error }, 'stripe request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'The payments provider is unavailable', { provider: 'stripe' });
}

/** Runs one Stripe call, turning whatever it throws into a stable GraphQL error. */
export const stripeCall = providerCall(toGraphQLError);
