import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server answering each request with `answer(path)`, and a client making fresh requests to it (no keep-alive). */
export interface PathServer {
  readonly url: string;
  /** GET `path` over a new connection; resolves with the body. */
  get(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPathServer(answer: (path: string) => string): Promise<PathServer> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(answer(req.url ?? '/')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get: (path) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${url}${path}`, { agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
