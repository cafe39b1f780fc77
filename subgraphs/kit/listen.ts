import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts listening and resolves with the port actually bound (port 0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
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
