import { Agent, createServer } from 'node:http';
import { closeOnce, closeServer, endpointUrl, listen } from '../shared/http-server.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { createRequestHandler } from './handle-request.ts';
import { startS3rverBackend } from './s3rver-backend.ts';
import { uploadSeed } from './upload-seed.ts';

export type { RequestCounter } from '../shared/request-counter.ts';

export interface S3EmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'us-east-1'. Signatures scoped to another region are refused, as S3 does. */
  region?: string;
  /** Default { accessKeyId: 'emulator', secretAccessKey: 'emulator-secret' }. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default true: create the seed buckets and objects (see fixtures/seed.ts). */
  seed?: boolean;
}

export interface S3Emulator {
  /** The endpoint clients use, e.g. http://127.0.0.1:54321 (path-style). */
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request the emulator received, by S3 operation name (seeding excluded). */
  requests: RequestCounter;
  /** Closes every server and socket and removes the temporary directory. */
  close(): Promise<void>;
}

export const DEFAULT_S3_EMULATOR_CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator-secret' } as const;

/**
 * An S3-compatible endpoint for offline work and tests: s3rver on an internal port, behind a thin
 * proxy that counts requests and verifies V4 signatures (which s3rver does not), so presigned URLs
 * behave like real S3's. ListObjectsV2 is served through s3rver's V1 listing (see list-objects-v2.ts).
 */
export async function startS3Emulator(options: S3EmulatorOptions = {}): Promise<S3Emulator> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const credentials = { ...(options.credentials ?? DEFAULT_S3_EMULATOR_CREDENTIALS) };

  const backend = await startS3rverBackend(credentials);
  const agent = new Agent({ keepAlive: true });
  const counter = createRequestCounter();

  const server = createServer(
    createRequestHandler({ backend: { port: backend.port, agent }, counter, identity: { region, credentials } }),
  );

  const close = closeOnce(async () => {
    const closed = closeServer(server);
    agent.destroy();
    await closed;
    await backend.close();
  });

  try {
    const port = await listen(server, options.port ?? 0, host);
    const url = endpointUrl(host, port);
    if (options.seed ?? true) {
      await uploadSeed({ url, region, credentials });
      counter.reset(); // seeding is setup, not traffic under test
    }
    return { url, region, credentials: { ...credentials }, requests: counter, close };
  } catch (error) {
    await close();
    throw error;
  }
}
