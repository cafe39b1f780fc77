import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import { handleSnsRequest } from './sns-endpoints.ts';
import { SNS_SIGNATURE_VERSIONS, type SnsSignatureVersion } from './sns-messages.ts';
import type { SnsTopic } from './sns-topic.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * - `GET /_emulator/requests` answers the counts by operation as JSON; `DELETE` resets them. Lets tests
 *   that run the emulator in another process observe which calls a gateway made.
 * - `GET /_emulator/sns`: the event notification topic, its subscription (pending, confirmed) and the
 *   deliveries sent and delivered, by message type. `POST /_emulator/sns` with `{"signatureVersion":"2"}`
 *   (or "1") sets how messages are signed from then on: 204, or 400.
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
    'POST sns': (body) => {
      const version = signatureVersionIn(body);
      if (version === undefined) return { status: 400, json: { error: `expected {"signatureVersion":"1"} or {"signatureVersion":"2"}` } };
      sns.setSignatureVersion(version);
      return undefined;
    },
  });
}

function signatureVersionIn(body: string): SnsSignatureVersion | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).join() !== 'signatureVersion') return undefined;
  const version = (parsed as { signatureVersion: unknown }).signatureVersion;
  return SNS_SIGNATURE_VERSIONS.find((known) => known === version);
}
