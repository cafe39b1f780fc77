import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { RateLimitWindow } from './rate-limit.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './send-json.ts';

/** Emulator-only endpoints; no GitHub API path starts with `/_`. No token is needed. */
export const CONTROL_PREFIX = '/_emulator/';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limit` with `{"remaining": 0}` sets what is left of the window; `DELETE`
 *   starts a fresh, full window; `GET` shows the window.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, rateLimit }: { counter: RequestCounter; rateLimit: RateLimitWindow },
): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const body = await readBody(req);
  switch (`${req.method ?? ''} ${path}`) {
    case `GET ${CONTROL_PREFIX}requests`:
      return sendJson(res, 200, counter.byOperation());
    case `DELETE ${CONTROL_PREFIX}requests`:
      counter.reset();
      return sendEmpty(res);
    case `GET ${CONTROL_PREFIX}rate-limit`:
      return sendJson(res, 200, { limit: rateLimit.limit, remaining: rateLimit.remaining(), used: rateLimit.used(), reset: rateLimit.resetAtSeconds() });
    case `DELETE ${CONTROL_PREFIX}rate-limit`:
      rateLimit.reset();
      return sendEmpty(res);
    case `POST ${CONTROL_PREFIX}rate-limit`: {
      const remaining = remainingFrom(body);
      if (remaining === undefined) return sendJson(res, 400, { error: 'expected a JSON body such as {"remaining": 0}' });
      rateLimit.setRemaining(remaining);
      return sendEmpty(res);
    }
    default:
      return sendJson(res, 404, { error: `no emulator endpoint ${req.method ?? ''} ${path}` });
  }
}

function remainingFrom(body: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const remaining = typeof parsed === 'object' && parsed !== null ? (parsed as { remaining?: unknown }).remaining : undefined;
    return typeof remaining === 'number' && Number.isFinite(remaining) && remaining >= 0 ? remaining : undefined;
  } catch {
    return undefined;
  }
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(204).end();
}
