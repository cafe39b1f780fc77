import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts listening and resolves with the port actually bound (port 0 picks a free one). A failure names
 * what could not listen, where, and what to change.
 */
export function listen(server: Server, port: number, host: string, what = 'server'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? 'the port is in use; choose another PORT (the CLIs: --port), or stop what holds it' : error.code === 'ENOTFOUND' || error.code === 'EADDRNOTAVAIL' ? 'check HOST' : error.message;
      reject(new Error(`${what}: cannot listen on ${host}:${port}: ${hint}`, { cause: error }));
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A URL for humans and clients: IPv6 hosts need brackets, the wildcard host is reached through loopback. */
export function urlFor(protocol: 'http' | 'ws', host: string, port: number, path = ''): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const printable = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `${protocol}://${printable}:${port}${path}`;
}
