import type { FaultAnswers } from '../shared/faults.ts';
import { sendS3Error, type S3ErrorReply } from './s3-error.ts';

/** S3's error for an injected status: 503 ServiceUnavailable, anything else InternalError. */
function s3ErrorFor(status: number): S3ErrorReply {
  if (status === 503) return { status, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' };
  if (status === 429) return { status, code: 'SlowDown', message: 'Please reduce your request rate.' };
  return { status, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
}

/**
 * Injected faults, answered as S3 answers: its XML `<Error>`. S3 throttles with 503 SlowDown, never 429,
 * so the rate-limit fault answers that, with Retry-After.
 */
export function s3FaultAnswers(): FaultAnswers {
  return {
    error: (res, status) => sendS3Error(res, s3ErrorFor(status)),
    rateLimited: (res, retryAfterSeconds) =>
      sendS3Error(res, { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, { 'retry-after': String(retryAfterSeconds) }),
  };
}
