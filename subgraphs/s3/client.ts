import { S3Client, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-s3';
// Library boundary: the SDK's middleware types live in @smithy/types, which the SDK itself depends on.
import type { InitializeMiddleware } from '@smithy/types';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import type { ProviderPolicy } from '../../kit/resilience/resilience.ts';
import type { S3Settings } from './config.ts';

/**
 * The SDK client. It retries by itself (standard mode, 3 attempts), so nothing here retries again.
 * Checksums only when S3 requires them: otherwise streamed uploads go out `aws-chunked`, which
 * S3-compatible servers (the emulator among them) store verbatim.
 * With `requestLog`, the `x-amz-request-id` of every answer is recorded there (see requestIdMiddleware).
 */
export function createS3Client(settings: S3Settings, requestLog?: ProviderRequestLog, policy?: ProviderPolicy): S3Client {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  if (requestLog) client.middlewareStack.add(requestIdMiddleware(requestLog), REQUEST_ID_MIDDLEWARE);
  if (policy) client.middlewareStack.add(policyMiddleware(policy), POLICY_MIDDLEWARE);
  return client;
}

const POLICY_MIDDLEWARE = { name: 'providerPolicyMiddleware', step: 'initialize', priority: 'high' } as const;

/**
 * In the initialize step, above the SDK's own retries: the timeout covers the whole call, the breaker
 * counts calls (not attempts) and the bulkhead caps calls in flight. Never retried again here.
 */
function policyMiddleware(policy: ProviderPolicy): InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> {
  return (next, context) => (args) => policy.execute(() => next(args), { operation: context.commandName ?? 'call' });
}

const REQUEST_ID_MIDDLEWARE = { name: 'providerRequestIdMiddleware', step: 'deserialize', priority: 'high' } as const;

type DeserializeMiddleware = Parameters<S3Client['middlewareStack']['add']>[0];

/**
 * In the deserialize step, below the retry middleware (finalizeRequest step): it runs once per attempt, so
 * a retried attempt's id is recorded too. Wrapping the deserializer, it reads `$metadata.requestId` (which
 * the SDK takes from `x-amz-request-id`) from the parsed output, or from the error S3's answer became.
 * Failures without an answer (connection refused, timeouts) have no id to record.
 */
function requestIdMiddleware(requestLog: ProviderRequestLog): DeserializeMiddleware {
  return (next) => async (args) => {
    try {
      const result = await next(args);
      requestLog.record(requestIdOf(result.output));
      return result;
    } catch (error) {
      requestLog.record(requestIdOf(error));
      throw error;
    }
  };
}

/** `$metadata.requestId` of an output or an S3ServiceException, if any. */
function requestIdOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || !('$metadata' in value)) return undefined;
  const metadata: unknown = value.$metadata;
  if (metadata === null || typeof metadata !== 'object' || !('requestId' in metadata)) return undefined;
  return typeof metadata.requestId === 'string' ? metadata.requestId : undefined;
}
