import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Shared because every emulator starts, addresses and stops its HTTP server the same way.

/**
 * Starts `server` on `port` (0: a free one) and resolves with the port it got, or rejects (e.g. EADDRINUSE,
 * with its code kept); a host that is not this machine's is named, since Node's own error names no setting.
 */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTFOUND' && error.code !== 'EADDRNOTAVAIL') return reject(error);
      reject(Object.assign(new Error(`emulator: cannot listen on ${host}:${port}: not an address of this machine (check HOST)`, { cause: error }), { code: error.code }));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The wildcard hosts are reached through loopback. */
export function reachableHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

/** The base URL clients use for a server listening on `host`; IPv6 literals need brackets. */
export function endpointUrl(host: string, port: number): string {
  const reachable = reachableHost(host);
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Stops `server` accepting and drops its open sockets, so closing never waits on an idle keep-alive client. */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** An emulator's close(): runs `close` on the first call only; later calls share its promise. */
export function closeOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
