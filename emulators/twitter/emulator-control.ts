import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { RateLimiter } from './rate-limits.ts';
import { readBody } from './read-body.ts';

/** Emulator-only endpoints; no X API path starts with `/_`. No credentials are needed. */
export const CONTROL_PREFIX = '/_emulator/';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: request counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limits` with `{ "spend": "GET /2/users/:id/tweets" }`: that endpoint answers 429
 *   until its window resets; `GET` shows the open windows; `DELETE` restores every endpoint's full limit.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, rateLimits }: { counter: RequestCounter; rateLimits: RateLimiter },
): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const body = await readBody(req);
  switch (`${req.method ?? ''} ${path}`) {
    case `GET ${CONTROL_PREFIX}requests`:
      return sendJson(res, 200, counter.byOperation());
    case `DELETE ${CONTROL_PREFIX}requests`:
      counter.reset();
      return sendEmpty(res);
    case `GET ${CONTROL_PREFIX}rate-limits`:
      return sendJson(res, 200, rateLimits.snapshot());
    case `DELETE ${CONTROL_PREFIX}rate-limits`:
      rateLimits.reset();
      return sendEmpty(res);
    case `POST ${CONTROL_PREFIX}rate-limits`: {
      const problem = spendFromBody(body, rateLimits);
      return problem === undefined ? sendEmpty(res) : sendJson(res, 400, { error: problem });
    }
    default:
      return sendJson(res, 404, { error: `no emulator endpoint ${req.method ?? ''} ${path}` });
  }
}

/** Spends the window a JSON body names; returns what is wrong with the body, if anything. */
function spendFromBody(body: string, rateLimits: RateLimiter): string | undefined {
  let spec: unknown;
  try {
    spec = JSON.parse(body);
  } catch {
    return 'expected a JSON body such as {"spend": "GET /2/users/:id/tweets"}';
  }
  const endpoint = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>)['spend'] : undefined;
  if (typeof endpoint !== 'string') return 'expected {"spend": "<operation>"}, e.g. {"spend": "GET /2/users/:id/tweets"}';
  try {
    rateLimits.spend(endpoint);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(204).end();
}
