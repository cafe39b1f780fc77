import type Stripe from 'stripe';
import type { ApiContext, ApiHandler, EmitEvent } from './api-context.ts';
import { DEFAULT_API_VERSION } from './api-version.ts';
import { unixSeconds } from './clock.ts';
import { newEvent } from './event-log.ts';
import type { RequestHandlerContext } from './handle-request.ts';
import { docUrlFor, StripeApiError, type StripeErrorBody } from './stripe-error.ts';
import type { WebhookEndpoint } from './webhook-delivery.ts';

/** What the API answers one request with, before it is written (or, under a fault, thrown away). */
export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Events the request caused, each with the endpoint it is to be delivered to. */
  events: Array<{ event: Stripe.Event; endpoint: WebhookEndpoint | undefined }>;
}

/**
 * An `emit` that builds each event as Stripe would (the request that caused it, or `id: null` for automatic
 * ones) and collects it, with the endpoint it is for, into `events`.
 */
export function eventCollector(context: RequestHandlerContext, request: { id: string | null; idempotency_key: string | null }, events: Answer['events']): EmitEvent {
  return (type, object, previous) => {
    const endpoint = context.webhook();
    const event = newEvent({
      id: context.ids.next('evt'),
      created: unixSeconds(context.clock),
      apiVersion: DEFAULT_API_VERSION,
      type,
      object,
      previous,
      request,
      pendingWebhooks: endpoint ? 1 : 0,
    });
    events.push({ event, endpoint });
  };
}

/**
 * Runs a handler. Its events are recorded only when its effects stand: on success or on a committed
 * error (a declined card); a refused request leaves no trace.
 */
export function runHandler(
  handler: ApiHandler,
  request: { params: Record<string, unknown>; id: string },
  context: RequestHandlerContext,
  requestId: string,
  idempotencyKey: string | null,
): Answer & { stored: boolean } {
  const events: Answer['events'] = [];
  const emit = eventCollector(context, { id: requestId, idempotency_key: idempotencyKey }, events);
  const apiContext: ApiContext = { store: context.store, ids: context.ids, now: () => unixSeconds(context.clock), emit, baseUrl: context.baseUrl() };
  const recordEvents = (): void => {
    for (const { event } of events) context.store.events.insert(event);
  };

  try {
    const result = handler(request, apiContext);
    recordEvents();
    return { status: result.status, body: JSON.stringify(result.body, null, 2), headers: {}, events, stored: true };
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    if (!error.committed) return { ...errorAnswer(error, requestId), stored: false };
    recordEvents();
    return { ...errorAnswer(error, requestId), events, stored: true };
  }
}

export function errorAnswer(error: StripeApiError, requestId: string): Answer {
  const body: StripeErrorBody = { ...error.body };
  if (body.code !== undefined && body.doc_url === undefined) body.doc_url = docUrlFor(body.code);
  body.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
  return { status: error.status, body: JSON.stringify({ error: body }, null, 2), headers: {}, events: [] };
}

