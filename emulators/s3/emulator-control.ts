import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import { handleSnsRequest } from './sns-endpoints.ts';
import type { SnsTopic } from './sns-topic.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * - `GET /_emulator/requests` answers the counts by operation as JSON; `DELETE` resets them. Lets tests
 *   that run the emulator in another process observe which calls a gateway made.
 * - `GET /_emulator/sns`: the event notification topic, its subscription (pending, confirmed) and the
 *   deliveries sent and delivered, by message type.
 * - The URLs SNS messages point to (certificate, confirm, unsubscribe): see sns-endpoints.ts.
 * - `POST`/`GET`/`DELETE /_emulator/faults`: fault injection (see shared/faults.ts).
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { counter, sns, faults }: { counter: RequestCounter; sns: SnsTopic; faults: FaultControl },
): Promise<void> {
  if (handleSnsRequest(req, res, sns)) return Promise.resolve();
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    ...faultRoutes(faults),
    'GET sns': () => ({ status: 200, json: sns.status() }),
  });
}
