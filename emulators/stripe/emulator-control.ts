import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { FaultControl } from './faults.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the app in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/faults` with `{ "failAfterCommit": { "operation": "POST /v1/payment_intents", "times": 1 } }`
 *   (also `"delay": { operation, ms, times }` and `"rateLimit": { operation, times }`); `GET` shows what is
 *   armed; `DELETE` disarms everything.
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, faults }: { counter: RequestCounter; faults: FaultControl },
): Promise<void> {
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    'GET faults': () => ({ status: 200, json: faults.pending() }),
    'DELETE faults': () => {
      faults.clear();
      return undefined;
    },
    'POST faults': (body) => {
      const problem = armFaults(body, faults);
      return problem === undefined ? undefined : { status: 400, json: { error: problem } };
    },
  });
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
