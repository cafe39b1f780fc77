import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { RequestCounter } from '../shared/request-counter.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * `GET /_emulator/requests` answers the counts by operation as JSON; `DELETE` resets them. Lets tests
 * that run the emulator in another process observe which calls a gateway made.
 */
export function handleControlRequest(req: IncomingMessage, res: ServerResponse, counter: RequestCounter): Promise<void> {
  return handleSharedControlRequest(req, res, requestCounterRoutes(counter));
}
