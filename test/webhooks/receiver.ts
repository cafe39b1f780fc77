import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Verified with the receiver's secret(s) by the `standardwebhooks` library. */
  verified: boolean;
  type: string | undefined;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Secrets to verify with (any one suffices); set once the endpoint is created. */
  secrets: string[];
  /** What to answer (default 204); may be async, to hold a request open. */
  respond: (request: Received) => number | Promise<number>;
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

/** A real HTTP endpoint on a free port that verifies Standard Webhooks signatures, as a customer's would. */
export async function startReceiver(): Promise<Receiver> {
  let concurrent = 0;
  const state = {
    received: [] as Received[],
    secrets: [] as string[],
    respond: (() => 204) as Receiver['respond'],
    maxConcurrent: 0,
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(request.headers['webhook-id'] ?? ''), 'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(request.headers['webhook-signature'] ?? '') };
      const verified = state.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      let type: string | undefined;
      try {
        type = (JSON.parse(body) as { type?: string }).type;
      } catch {
        type = undefined;
      }
      const received: Received = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, verified, type };
      state.received.push(received);
      const status = await state.respond(received);
      response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end('ok');
    } finally {
      concurrent--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    get received() {
      return state.received;
    },
    get secrets() {
      return state.secrets;
    },
    set secrets(value: string[]) {
      state.secrets = value;
    },
    get respond() {
      return state.respond;
    },
    set respond(value: Receiver['respond']) {
      state.respond = value;
    },
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
