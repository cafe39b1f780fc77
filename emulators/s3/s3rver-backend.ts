import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3rverEvent } from './s3-event-record.ts';
import { registerS3rverAccessKey } from './s3rver-access-keys.ts';

/** s3rver on an internal loopback port, storing into its own temporary directory. */
export interface S3rverBackend {
  readonly port: number;
  close(): Promise<void>;
}

export async function startS3rverBackend(
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
  },
  /** Called with s3rver's event for every object created or deleted. */
  onEvent?: (event: S3rverEvent) => void,
): Promise<S3rverBackend> {
  const directory = await mkdtemp(join(tmpdir(), 's3-emulator-'));
  const releaseAccessKey = registerS3rverAccessKey(credentials.accessKeyId, credentials.secretAccessKey);
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    // Clients use path-style URLs; never read a bucket name out of the Host header.
    vhostBuckets: false,
  });
  if (onEvent) s3rver.on('event', onEvent);

  try {
    const { port } = await s3rver.run();
    return {
      port,
      async close() {
        const closed = s3rver.close();
        s3rver.httpServer?.closeAllConnections(); // idle keep-alive sockets would hold close() open
        await closed;
        releaseAccessKey();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    releaseAccessKey();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
