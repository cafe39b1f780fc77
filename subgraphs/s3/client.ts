import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './config.ts';

/**
 * The SDK client. It retries by itself (standard mode, 3 attempts), so nothing here retries again.
 * Checksums only when S3 requires them: otherwise streamed uploads go out `aws-chunked`, which
 * S3-compatible servers (the emulator among them) store verbatim.
 */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
}
