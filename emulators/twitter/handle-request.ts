import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FaultAnswers, FaultInjector } from '../shared/faults.ts';
import { unixSecondsIn } from '../shared/faults.ts';
import { BodyTooLargeError, readBody } from '../shared/read-body.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import type { AccountActivity } from './account-activity.ts';
import type { ApiResult } from './api.ts';
import { authenticate } from './auth.ts';
import { CONTROL_PREFIX, handleControlRequest } from './emulator-control.ts';
import { routeNotFound, TOO_MANY_REQUESTS_BODY, UNAUTHORIZED_BODY, XProblem } from './problems.ts';
import { rateLimitHeaders, type RateLimiter } from './rate-limits.ts';
import { matchRoute } from './routes.ts';
import type { Store } from './store.ts';
import type { OAuthAuthority } from '../shared/oauth-authority.ts';
import { handleXOAuth } from './oauth.ts';

export interface RequestHandlerContext {
  readonly bearerToken: string;
  readonly store: Store;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly counter: RecordingRequestCounter;
  readonly rateLimits: RateLimiter;
  readonly faults: FaultInjector;
  /** X's OAuth 2.0 authorization server (oauth.ts): its tokens are refused once their grant is revoked. */
  readonly oauth: OAuthAuthority;
  /** Moves the emulator's clock forward (control endpoint `clock`), so tokens expire without waiting. */
  advanceClock(seconds: number): void;
  /** Hands an event to webhook delivery (which knows whether a webhook is set); called after answering. */
  deliver(activity: AccountActivity): void;
}

/** A tweet body is a few kilobytes at most; anything much larger is a client bug, not a request. */
const MAX_BODY_BYTES = 1024 * 1024;

interface Answer {
  status: number;
  body: object;
  headers: Record<string, string>;
  activity?: AccountActivity | undefined;
}

export function createRequestHandler(context: RequestHandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // X's id of every answer, 16 hex digits; its support asks for it.
    res.setHeader('x-transaction-id', randomBytes(8).toString('hex'));
    handle(req, res, context).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof BodyTooLargeError ? 413 : 500;
      const detail = `emulator: ${error instanceof Error ? error.message : String(error)}`;
      send(res, { status, body: { title: status === 413 ? 'Payload Too Large' : 'Internal Server Error', detail, type: 'about:blank', status }, headers: {} });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: RequestHandlerContext): Promise<void> {
  const target = req.url ?? '/';
  if (target.startsWith(CONTROL_PREFIX)) {
    await handleControlRequest(req, res, context);
    return;
  }
  if (await handleXOAuth(req, res, context.oauth, context.counter)) return;
  const method = (req.method ?? 'GET').toUpperCase();
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  const route = matchRoute(method, path);
  context.counter.record(route.operation);
  const write = method === 'POST' || method === 'PUT' || method === 'DELETE';
  const faults = context.faults.plan(route.operation, { write });
  const answers = faultAnswers(route.operation, context.clock, context.rateLimits);
  // A write waits out its latency before it takes effect; a read's answer is made at once and sent when due.
  if (!(await context.faults.intercept(req, res, faults, answers, { answerFirst: !write }))) return;
  const due = write ? undefined : context.faults.due(faults);
  const body = await readBody(req, MAX_BODY_BYTES);

  const answer = answerRequest(req, { route, query, body }, context);
  if (due && !(await due)) return;
  // Under fail-after-commit the tweet is posted (or deleted) and its event raised; only the answer is lost.
  context.faults.commit(req, res, faults, answers, () => send(res, answer));
  if (answer.activity) context.deliver(answer.activity);
}

/** Injected faults, answered as X answers: problem bodies, and for 429 the endpoint's `x-rate-limit-*` headers, spent. */
function faultAnswers(operation: string, clock: () => number, rateLimits: RateLimiter): FaultAnswers {
  return {
    error(res, status) {
      const title = STATUS_CODES[status] ?? 'Error';
      send(res, { status, body: { title, detail: title, type: 'about:blank', status }, headers: {} });
    },
    rateLimited(res, retryAfterSeconds) {
      const limit = rateLimits.windowLimit(operation);
      const headers: Record<string, string> = {
        ...(limit === undefined ? {} : { 'x-rate-limit-limit': String(limit) }),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(unixSecondsIn(retryAfterSeconds, clock())),
        'retry-after': String(retryAfterSeconds),
      };
      send(res, { status: 429, body: TOO_MANY_REQUESTS_BODY, headers });
    },
  };
}

function answerRequest(
  req: IncomingMessage,
  { route, query, body }: { route: ReturnType<typeof matchRoute>; query: URLSearchParams; body: string },
  context: RequestHandlerContext,
): Answer {
  const caller = authenticate(req.headers.authorization, context.bearerToken, (id) => context.store.user(id) !== undefined, context.clock(), (token) => context.oauth.isRevoked(token));
  if (!caller) return { status: 401, body: UNAUTHORIZED_BODY, headers: {} };
  if (!route.handler) return problemAnswer(routeNotFound(), {});

  const quota = context.rateLimits.take(route.operation, caller);
  const headers = quota ? rateLimitHeaders(quota.readings) : {};
  if (quota && !quota.allowed) return { status: 429, body: TOO_MANY_REQUESTS_BODY, headers };

  let result: ApiResult;
  try {
    result = route.handler({ query, params: route.params, body, caller }, { store: context.store, now: context.clock });
  } catch (error) {
    if (error instanceof XProblem) return problemAnswer(error, headers);
    throw error;
  }
  return { status: result.status, body: result.body, headers, activity: result.activity };
}

function problemAnswer(problem: XProblem, headers: Record<string, string>): Answer {
  return { status: problem.status, body: problem.body, headers };
}

function send(res: ServerResponse, { status, body, headers }: Answer): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-cache, no-store, max-age=0',
    ...headers,
  });
  res.end(text);
}
