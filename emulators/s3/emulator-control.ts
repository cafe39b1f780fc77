import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounter } from '../shared/request-counter.ts';

/** Emulator-only endpoints live under a prefix no S3 bucket can have (names cannot start with `_`). */
export const CONTROL_PREFIX = '/_emulator/';

/**
 * `GET /_emulator/requests` answers the counts by operation as JSON; `DELETE` resets them. Lets tests
 * that run the emulator in another process observe which calls a gateway made.
 */
export function handleControlRequest(req: IncomingMessage, res: ServerResponse, counter: RequestCounter): void {
  const path = (req.url ?? '').split('?')[0];
  if (path !== `${CONTROL_PREFIX}requests`) {
    sendJson(res, 404, { error: `no emulator endpoint ${path}` });
    return;
  }
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, counter.byOperation());
      return;
    case 'DELETE':
      counter.reset();
      res.writeHead(204).end();
      return;
    default:
      res.setHeader('allow', 'GET, DELETE');
      sendJson(res, 405, { error: `method ${req.method ?? ''} not allowed` });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
