import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the app in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/faults` with a fault profile (`{ "errorRate": 0.2, "seed": 7 }`, see shared/faults.ts)
 *   and/or one-shot faults: `{ "failAfterCommit": { "operation": "POST /v1/payment_intents", "times": 1 } }`
 *   (also `"delay": { operation, ms, times }` and `"rateLimit": { operation, times }`); `GET` shows the
 *   profile, the faults injected and what is still armed; `DELETE` disarms everything.
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, faults }: { counter: RequestCounter; faults: FaultControl },
): Promise<void> {
  return handleSharedControlRequest(req, res, { ...requestCounterRoutes(counter), ...faultRoutes(faults) });
}
