import { S3ServiceException } from '@aws-sdk/client-s3';
import { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { providerCall } from '../../kit/resilience/provider-call.ts';

const NOT_FOUND = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound']);
const FORBIDDEN = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled']);
const BAD_INPUT = new Set(['InvalidBucketName', 'KeyTooLongError', 'InvalidArgument', 'InvalidRequest', 'EntityTooLarge']);
const THROTTLED = new Set(['SlowDown', 'ThrottlingException', 'TooManyRequests']);

/** Is this the provider saying "no such key" (HeadObject answers a bodiless 404)? */
export function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (NOT_FOUND.has(error.name) || error.$metadata.httpStatusCode === 404);
}

/**
 * Maps an SDK error to a stable code. Messages are ours: the SDK's may name endpoints, and credential
 * errors (a wrong key on our side) are the operator's problem, shown to callers as unavailability.
 */
export function toGraphQLError(error: unknown, logger: Logger): GraphQLError {
  // Ours already (a timeout or an open breaker, from the provider policy): keep it.
  if (error instanceof GraphQLError) return error;
  const provider = { provider: 's3' };
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    const extensions = { ...provider, ...(error.$metadata.requestId ? { providerRequestId: error.$metadata.requestId } : {}) };
    if (NOT_FOUND.has(error.name) || status === 404) return gatewayError(ErrorCode.NOT_FOUND, 'Not found', extensions);
    if (FORBIDDEN.has(error.name)) return gatewayError(ErrorCode.FORBIDDEN, 'Access to this storage resource is denied', extensions);
    if (BAD_INPUT.has(error.name)) return gatewayError(ErrorCode.BAD_USER_INPUT, 'The storage provider rejected the request as invalid', extensions);
    if (THROTTLED.has(error.name) || status === 429) return gatewayError(ErrorCode.RATE_LIMITED, 'The storage provider is throttling requests', extensions);
    logger.error({ err: { name: error.name, status, requestId: error.$metadata.requestId } }, 's3 request failed');
    return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'The storage provider is unavailable', extensions);
  }
  logger.error({ err: error }, 's3 request failed before reaching the provider');
  return gatewayError(ErrorCode.PROVIDER_UNAVAILABLE, 'The storage provider is unavailable', provider);
}

/** Runs one S3 call, turning whatever it throws into a stable GraphQL error. */
export const s3Call = providerCall(toGraphQLError);
