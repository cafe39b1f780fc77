import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** What a client needs to reach an S3 emulator. */
export interface S3Target {
  readonly url: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The real SDK, pointed at an emulator: path-style, its region and key. Checksums only where S3 requires
 * them: otherwise the SDK streams uploads `aws-chunked` and s3rver stores the chunk framing.
 */
export function s3ClientFor(target: S3Target, config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    endpoint: target.url,
    region: target.region,
    credentials: { ...target.credentials },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}
