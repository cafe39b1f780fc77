// s3rver ships no types. These declarations cover only what the emulator uses (library boundary).

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts its own HTTP server; resolves with the bound address. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: import('node:http').Server;
    /** A Koa app, so an EventEmitter: 'event' carries an S3-notification-shaped `{ Records: [...] }`. */
    on(event: 'event', listener: (event: import('./s3-event-record.ts').S3rverEvent) => void): this;
  }

  export = S3rver;
}

/**
 * s3rver keeps its accepted access keys in a process-wide registry (CommonJS `module.exports` is the
 * account class; `DUMMY_ACCOUNT` holds the hard-coded S3RVER/S3RVER key pair).
 */
declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    readonly accessKeys: Map<string, string>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }

  const AWSAccount: {
    readonly registry: Map<string, AWSAccount>;
    readonly DUMMY_ACCOUNT: AWSAccount;
  };

  export = AWSAccount;
}
