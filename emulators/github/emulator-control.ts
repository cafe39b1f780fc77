import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { RateLimitWindow } from './rate-limit.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limit` with `{"remaining": 0}` sets what is left of the window; `DELETE`
 *   starts a fresh, full window; `GET` shows the window.
 * - `POST`/`GET`/`DELETE /_emulator/faults`: fault injection (see shared/faults.ts).
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, rateLimit, faults }: { counter: RequestCounter; rateLimit: RateLimitWindow; faults: FaultControl },
): Promise<void> {
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    ...faultRoutes(faults),
    'GET rate-limit': () => ({
      status: 200,
      json: { limit: rateLimit.limit, remaining: rateLimit.remaining(), used: rateLimit.used(), reset: rateLimit.resetAtSeconds() },
    }),
    'DELETE rate-limit': () => {
      rateLimit.reset();
      return undefined;
    },
    'POST rate-limit': (body) => {
      const remaining = remainingFrom(body);
      if (remaining === undefined) return { status: 400, json: { error: 'expected a JSON body such as {"remaining": 0}' } };
      rateLimit.setRemaining(remaining);
      return undefined;
    },
  });
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
