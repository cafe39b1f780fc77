import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaultControlBody, type FaultControl } from './faults.ts';
import { readBody } from './read-body.ts';
import type { RequestCounter } from './request-counter.ts';
import { sendJson } from './send-json.ts';

/**
 * Emulator-only endpoints, for tests that run an emulator in another process. No real API path (nor S3
 * bucket name) starts with `/_`, and no credentials are needed.
 */
export const CONTROL_PREFIX = '/_emulator/';

/** Control bodies are tiny JSON documents. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/** What a control endpoint answers: a status and JSON, or undefined for 204 No Content. */
export type ControlReply = { readonly status: number; readonly json: unknown } | undefined;

/**
 * Control endpoints by `<METHOD> <name>`, e.g. `GET requests` for `GET /_emulator/requests`; each gets the
 * body and the query string (`?login=…`: a GET has no body to say which one it means).
 */
export type ControlRoutes = Readonly<Record<string, (body: string, query: URLSearchParams) => ControlReply>>;

/** `GET /_emulator/requests`: the counts by operation; `DELETE` resets them. Every emulator has these. */
export function requestCounterRoutes(counter: RequestCounter): ControlRoutes {
  return {
    'GET requests': () => ({ status: 200, json: counter.byOperation() }),
    'DELETE requests': () => {
      counter.reset();
      return undefined;
    },
  };
}

/**
 * Every emulator has these too (see faults.ts):
 * - `POST /_emulator/faults` with a fault profile (`{"errorRate":0.2,"seed":7}`), and/or one-shot faults
 *   (`{"failAfterCommit":{"operation":"POST /v1/payment_intents","times":1}}`, also `delay` with `ms`, and
 *   `rateLimit`): 204, or 400 naming what is wrong (unknown fields included).
 * - `GET /_emulator/faults`: the profile (defaults filled in, or null), requests it matched, faults
 *   injected by kind, and the one-shot faults still armed.
 * - `DELETE /_emulator/faults`: removes the profile and every one-shot fault, and zeroes the counters.
 */
export function faultRoutes(faults: FaultControl): ControlRoutes {
  return {
    'GET faults': () => ({ status: 200, json: faults.status() }),
    'DELETE faults': () => {
      faults.clear();
      return undefined;
    },
    'POST faults': (body) => {
      const problem = applyFaultControlBody(faults, body);
      return problem === undefined ? undefined : { status: 400, json: { error: problem } };
    },
  };
}

/** Answers a request under CONTROL_PREFIX from `routes`: 404 for an unknown endpoint, 405 for a wrong method. */
export async function handleControlRequest(req: IncomingMessage, res: ServerResponse, routes: ControlRoutes): Promise<void> {
  const method = req.method ?? '';
  const target = req.url ?? '';
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
  const name = path.startsWith(CONTROL_PREFIX) ? path.slice(CONTROL_PREFIX.length) : undefined;
  const body = await readBody(req, MAX_CONTROL_BODY_BYTES);
  const key = `${method} ${name ?? ''}`;
  if (name !== undefined && Object.hasOwn(routes, key)) {
    const reply = routes[key]?.(body, query);
    if (reply === undefined) res.writeHead(204).end();
    else sendJson(res, reply.status, reply.json);
    return;
  }
  const allowed = Object.keys(routes)
    .map((route) => route.split(' '))
    .filter(([, routeName]) => name !== undefined && routeName === name)
    .map(([routeMethod]) => routeMethod ?? '');
  if (allowed.length > 0) {
    res.setHeader('allow', allowed.join(', '));
    sendJson(res, 405, { error: `method ${method} not allowed` });
    return;
  }
  sendJson(res, 404, { error: `no emulator endpoint ${method} ${path}` });
}
