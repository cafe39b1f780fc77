import type { IncomingHttpHeaders } from 'node:http';
import { ApiPartialResponseError, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';

/** X's own id of each request, as its support asks for it. */
export const TRANSACTION_ID_HEADER = 'x-transaction-id';

function transactionIdOf(headers: IncomingHttpHeaders | undefined): string | undefined {
  const value = headers?.[TRANSACTION_ID_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Records X's `x-transaction-id` of every answer: successes, error statuses (4xx/5xx, 429 included), and
 * answers whose body broke off after the headers arrived. Requests that got no answer have no id.
 */
export function requestIdPlugin(requestLog: ProviderRequestLog): ITwitterApiClientPlugin {
  return {
    onAfterRequest({ response }) {
      requestLog.record(transactionIdOf(response.headers));
    },
    onResponseError({ error }) {
      requestLog.record(transactionIdOf(error.headers));
    },
    onRequestError({ error }) {
      // An ApiPartialResponseError has the answer's headers; a plain ApiRequestError never got an answer.
      if (error instanceof ApiPartialResponseError) requestLog.record(transactionIdOf(error.response.headers));
    },
  };
}
