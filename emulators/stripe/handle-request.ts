import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import qs from 'qs';
import type Stripe from 'stripe';
import { BodyTooLargeError, readBody } from '../shared/read-body.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import { sendJson } from '../shared/send-json.ts';
import { apiVersionProblem, DEFAULT_API_VERSION } from './api-version.ts';
import { checkApiKey } from './auth.ts';
import type { Clock } from './clock.ts';
import { CONTROL_PREFIX, handleControlRequest } from './emulator-control.ts';
import type { FaultAnswers, FaultInjector } from '../shared/faults.ts';
import type { IdempotencyStore, StoredResponse } from './idempotency.ts';
import type { IdGenerator } from './ids.ts';
import { matchRoute } from './routes.ts';
import { runDueWork } from './run-internal.ts';
import { handleTestPage, isTestPage } from './test-pages.ts';
import { errorAnswer, runHandler, type Answer } from './run-handler.ts';
import type { Store } from './store.ts';
import { invalidRequest, StripeApiError } from './stripe-error.ts';
import type { WebhookEndpoint } from './webhook-delivery.ts';

export interface RequestHandlerContext {
  readonly apiKey: string;
  readonly store: Store;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly counter: RecordingRequestCounter;
  readonly faults: FaultInjector;
  readonly idempotency: IdempotencyStore;
  /** Where events go now, if anywhere (decides `pending_webhooks`). */
  webhook(): WebhookEndpoint | undefined;
  /** Hands an event to webhook delivery; called after the response is sent. */
  deliver(event: Stripe.Event, endpoint: WebhookEndpoint): void;
  /** Aborted when the emulator closes: cuts short requests held by a one-shot `delay` fault. */
  readonly lifetime: AbortSignal;
  /** Where the emulator is reached, for the URLs of its test pages. */
  baseUrl(): string;
}

const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Stripe caps request bodies well below this; anything larger is a client bug, not a payload. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createRequestHandler(context: RequestHandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res, context).catch((error: unknown) => {
      if (res.headersSent || context.lifetime.aborted) {
        res.destroy();
        return;
      }
      const status = error instanceof BodyTooLargeError ? 413 : 500;
      sendJson(res, status, { error: { type: 'api_error', message: `An unknown error occurred (emulator: ${errorMessage(error)})` } });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: RequestHandlerContext): Promise<void> {
  const target = req.url ?? '/';
  // Whatever fell due on the emulator's clock (a payment settling, a subscription expiring) happens first.
  runDueWork(context);
  if (isTestPage(target)) {
    await handleTestPage(req, res, context);
    return;
  }
  if (target.startsWith(CONTROL_PREFIX)) {
    await handleControlRequest(req, res, context);
    return;
  }

  const method = (req.method ?? 'GET').toUpperCase();
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const route = matchRoute(method, path);
  context.counter.record(route.operation);
  // Every Stripe POST and DELETE changes state.
  const write = method === 'POST' || method === 'DELETE';
  const faults = context.faults.plan(route.operation, { write });
  const requestId = context.ids.requestId();
  const idempotencyKey = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
  const answers = faultAnswers(req, requestId, idempotencyKey);
  // A write waits out its latency before it takes effect, and a one-shot delay later still, while it owns its
  // Idempotency-Key; a read's answer is made at once and sent when due (latency and delay from its arrival).
  if (!(await context.faults.intercept(req, res, faults, answers, write ? { deferDelay: true } : { answerFirst: true }))) return;
  const due = write ? undefined : context.faults.due(faults);
  const body = await readBody(req, MAX_BODY_BYTES);

  const answer = await answerRequest({ req, method, path, query, body, route, delayMs: write ? faults.delayMs : 0, requestId, idempotencyKey }, context);
  if (due && !(await due)) return;

  // Under fail-after-commit, the work is done and recorded; only the answer is lost (a reset, or a 500).
  context.faults.commit(req, res, faults, answers, () => writeAnswer(res, req, answer, requestId, idempotencyKey));

  for (const { event, endpoint } of answer.events) {
    if (endpoint) context.deliver(event, endpoint);
  }
}

function writeAnswer(res: ServerResponse, req: IncomingMessage, answer: Omit<Answer, 'events'>, requestId: string, idempotencyKey: string | undefined): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(answer.body)),
    'request-id': requestId,
    'stripe-version': headerValue(req, 'stripe-version') ?? DEFAULT_API_VERSION,
    'cache-control': 'no-cache, no-store',
    ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
    ...answer.headers,
  };
  res.writeHead(answer.status, headers).end(answer.body);
}

const RATE_LIMITED_MESSAGE = 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.';

/** Injected faults, answered as Stripe answers: its error envelope, `request-id`, and for 429 `rate_limit`. */
function faultAnswers(req: IncomingMessage, requestId: string, idempotencyKey: string | undefined): FaultAnswers {
  return {
    error(res, status) {
      const error = new StripeApiError(status, { type: 'api_error', message: 'An unknown error occurred' });
      writeAnswer(res, req, errorAnswer(error, requestId), requestId, idempotencyKey);
    },
    rateLimited(res, retryAfterSeconds) {
      const answer = errorAnswer(invalidRequest(RATE_LIMITED_MESSAGE, { code: 'rate_limit', status: 429 }), requestId);
      writeAnswer(res, req, { ...answer, headers: { 'retry-after': String(retryAfterSeconds) } }, requestId, idempotencyKey);
    },
  };
}

interface IncomingApiRequest {
  req: IncomingMessage;
  method: string;
  path: string;
  query: string;
  body: string;
  route: ReturnType<typeof matchRoute>;
  /** A one-shot `delay`, held while owning the Idempotency-Key. */
  delayMs: number;
  requestId: string;
  idempotencyKey: string | undefined;
}

async function answerRequest(request: IncomingApiRequest, context: RequestHandlerContext): Promise<Answer> {
  const { req, method, path, route, requestId, idempotencyKey } = request;
  const refuse = (error: StripeApiError): Answer => errorAnswer(error, requestId);

  const authError = checkApiKey(req.headers, context.apiKey);
  if (authError) return { ...refuse(authError), headers: { 'www-authenticate': 'Basic realm="Stripe"' } };
  const versionProblem = apiVersionProblem(headerValue(req, 'stripe-version'));
  if (versionProblem) return refuse(invalidRequest(versionProblem));
  if (!route.handler) {
    return refuse(
      invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, {
        status: 404,
      }),
    );
  }
  // Query string and form body use the same bracket notation; Stripe reads both.
  const params = { ...parseForm(request.query), ...(method === 'POST' ? parseForm(request.body) : {}) };

  let completion: { complete(response: StoredResponse): void; release(): void } | undefined;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
      return refuse(
        invalidRequest(`Idempotency-Key must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters long.`, { param: 'Idempotency-Key' }),
      );
    }
    const decision = context.idempotency.begin(context.apiKey, idempotencyKey, `${method} ${path}`, params);
    switch (decision.kind) {
      case 'replay':
        return {
          status: decision.response.status,
          body: decision.response.body,
          headers: { 'idempotent-replayed': 'true', 'original-request': decision.response.requestId },
          events: [],
        };
      case 'mismatch':
        return refuse(new StripeApiError(400, { type: 'idempotency_error', message: decision.message }));
      case 'in_flight':
        return refuse(
          new StripeApiError(409, {
            type: 'idempotency_error',
            message: `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
          }),
        );
      case 'execute':
        completion = decision;
    }
  }

  try {
    if (request.delayMs > 0) await sleep(request.delayMs, undefined, { signal: context.lifetime });
    const answer = runHandler(route.handler, { params, id: route.id }, context, requestId, idempotencyKey ?? null);
    if (answer.stored) completion?.complete({ status: answer.status, body: answer.body, requestId });
    else completion?.release();
    return answer;
  } catch (error) {
    completion?.release();
    throw error;
  }
}

function parseForm(text: string): Record<string, unknown> {
  if (text === '') return {};
  // Indexed lists (`items[0][price]`) may exceed qs's default of 20 entries.
  return qs.parse(text, { depth: 10, arrayLimit: 100, parameterLimit: 2000 });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
