import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultControl } from './faults.ts';
import { readBody } from './read-body.ts';
import type { RequestCounter } from '../shared/request-counter.ts';

/** Emulator-only endpoints; no Stripe path starts with `/_`. No API key is needed. */
export const CONTROL_PREFIX = '/_emulator/';

/**
 * For tests that run the app in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/faults` with `{ "failAfterCommit": { "operation": "POST /v1/payment_intents", "times": 1 } }`
 *   (also `"delay": { operation, ms, times }` and `"rateLimit": { operation, times }`); `GET` shows what is
 *   armed; `DELETE` disarms everything.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, faults }: { counter: RequestCounter; faults: FaultControl },
): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  const body = await readBody(req);
  switch (`${req.method ?? ''} ${path ?? ''}`) {
    case `GET ${CONTROL_PREFIX}requests`:
      return sendJson(res, 200, counter.byOperation());
    case `DELETE ${CONTROL_PREFIX}requests`:
      counter.reset();
      return sendEmpty(res);
    case `GET ${CONTROL_PREFIX}faults`:
      return sendJson(res, 200, faults.pending());
    case `DELETE ${CONTROL_PREFIX}faults`:
      faults.clear();
      return sendEmpty(res);
    case `POST ${CONTROL_PREFIX}faults`: {
      const problem = armFaults(body, faults);
      return problem === undefined ? sendEmpty(res) : sendJson(res, 400, { error: problem });
    }
    default:
      return sendJson(res, 404, { error: `no emulator endpoint ${req.method ?? ''} ${path ?? ''}` });
  }
}

/** Arms the faults a JSON body describes; returns what is wrong with it, if anything. */
function armFaults(body: string, faults: FaultControl): string | undefined {
  let spec: unknown;
  try {
    spec = JSON.parse(body);
  } catch {
    return 'expected a JSON body';
  }
  if (spec === null || typeof spec !== 'object') return 'expected a JSON object';
  const entries = Object.entries(spec);
  if (entries.length === 0) return 'expected at least one of failAfterCommit, delay, rateLimit';
  try {
    for (const [kind, value] of entries) {
      const { operation, times, ms } = (value ?? {}) as { operation?: unknown; times?: unknown; ms?: unknown };
      if (typeof operation !== 'string') return `${kind}.operation must be a string such as "POST /v1/payment_intents"`;
      if (times !== undefined && typeof times !== 'number') return `${kind}.times must be a number`;
      switch (kind) {
        case 'failAfterCommit':
          faults.failAfterCommit(operation, times);
          break;
        case 'rateLimit':
          faults.rateLimit(operation, times);
          break;
        case 'delay':
          if (typeof ms !== 'number') return 'delay.ms must be a number';
          faults.delay(operation, ms, times);
          break;
        default:
          return `unknown fault ${kind}`;
      }
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(204).end();
}
