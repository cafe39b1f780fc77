import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyS3Operation } from './classify-operation.ts';
import { CONTROL_PREFIX, handleControlRequest } from './emulator-control.ts';
import { forwardToBackend } from './forward-to-backend.ts';
import { createRequestCounter, type RequestCounter } from './request-counter.ts';
import { v1ListingRequestFor, v2ListingFromV1 } from './list-objects-v2.ts';
import { sendS3Error, type S3ErrorReply } from './s3-error.ts';
import { startS3rverBackend } from './s3rver-backend.ts';
import { uploadSeed } from './upload-seed.ts';
import { verifyRequestSignature } from './verify-signature.ts';

export type { RequestCounter } from './request-counter.ts';

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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.url?.startsWith(CONTROL_PREFIX)) {
      req.resume();
      handleControlRequest(req, res, counter);
      return;
    }
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct };
    const operation = classifyS3Operation({ ...request, headers: req.headers });
    counter.record(operation);

    const refusal = await verifyRequestSignature(request, { region, credentials });
    if (refusal) {
      refuse(req, res, refusal);
      return;
    }
    if (operation !== 'ListObjectsV2') {
      forwardToBackend(req, res, { port: backend.port, agent });
      return;
    }
    const listing = v1ListingRequestFor(request.url);
    if ('status' in listing) {
      refuse(req, res, listing);
      return;
    }
    forwardToBackend(req, res, { port: backend.port, agent }, {
      target: listing.target,
      rewriteOkBody: (v1Xml) => v2ListingFromV1(v1Xml, listing.echo),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendS3Error(res, { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
      else res.destroy();
    });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
      await backend.close();
    })();
    return closing;
  };

  try {
    const port = await listen(server, options.port ?? 0, host);
    const url = endpointUrl(host, port);
    if (options.seed ?? true) {
      await uploadSeed({ url, region, credentials });
      counter.reset(); // seeding is setup, not traffic under test
    }
    return { url, region, credentials, requests: counter, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, error: S3ErrorReply): void {
  req.resume(); // drain an unread upload so the connection stays usable
  sendS3Error(res, error);
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The wildcard hosts are reached through loopback; IPv6 literals need brackets. */
function endpointUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
