import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { RateLimiter } from './rate-limits.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: request counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limits` with `{ "spend": "GET /2/users/:id/tweets" }`: that endpoint answers 429
 *   until its window resets; `GET` shows the open windows; `DELETE` restores every endpoint's full limit.
 * - `POST`/`GET`/`DELETE /_emulator/faults`: fault injection (see shared/faults.ts).
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, rateLimits, faults }: { counter: RequestCounter; rateLimits: RateLimiter; faults: FaultControl },
): Promise<void> {
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    ...faultRoutes(faults),
    'GET rate-limits': () => ({ status: 200, json: rateLimits.snapshot() }),
    'DELETE rate-limits': () => {
      rateLimits.reset();
      return undefined;
    },
    'POST rate-limits': (body) => {
      const problem = spendFromBody(body, rateLimits);
      return problem === undefined ? undefined : { status: 400, json: { error: problem } };
    },
  });
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
