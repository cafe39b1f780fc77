import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError, type DocumentNode, type ExecutionResult, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { formatError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Authenticate } from '../auth/authenticate.ts';
import type { Caller } from '../auth/principal.ts';
import { tokenExpiry } from '../auth/token-expiry.ts';
import { getParameters } from './get-parameters.ts';
import type { OperationPayload, OperationPreparer } from './prepare-operation.ts';

/**
 * Subscriptions (and any operation) for clients that do not speak graphql-ws, on the gateway's `/graphql`:
 * - GraphQL over Server-Sent Events (graphql-sse's "distinct connections" mode): `Accept: text/event-stream`,
 *   each result an `event: next`, then `event: complete`;
 * - Apollo's multipart HTTP subscriptions (Apollo Client's HttpLink, Apollo iOS, Apollo Kotlin):
 *   `Accept: multipart/mixed;subscriptionSpec=1.0`, each result a `{"payload": …}` part, `{}` heartbeats.
 * The operation goes through the same preparation as graphql-ws (trusted documents, limits, the
 * subscription's authorization, the rate limit), and the engine filters events per caller as it does there.
 * A client that stops reading is cut off once `maxBufferedBytes` wait for it (it resumes with `afterEventId`).
 */
export interface HttpStreamsOptions {
  readonly prepare: OperationPreparer;
  readonly authenticate: Authenticate;
  readonly logger: Logger;
  readonly keepAliveMs: number;
  readonly maxBufferedBytes: number;
  readonly metrics?: Metrics | undefined;
  readonly afterMutation?: ((result: ExecutionResult, document: DocumentNode, operation: OperationDefinitionNode) => Promise<void>) | undefined;
  /** The token's clock tolerance (JWT_CLOCK_TOLERANCE_SECONDS): a stream ends when its token would no longer be accepted. */
  readonly clockToleranceMs?: number | undefined;
}

type Protocol = 'sse' | 'multipart';

/** Which streaming protocol the request asks for, if any (anything else is Apollo Server's). */
export function streamingProtocol(accept: string | undefined): Protocol | undefined {
  if (!accept) return undefined;
  if (/(^|,)\s*text\/event-stream/i.test(accept)) return 'sse';
  if (/multipart\/mixed[^,]*subscriptionSpec/i.test(accept)) return 'multipart';
  return undefined;
}

/** One protocol's framing. */
interface Framing {
  readonly contentType: string;
  /** The first bytes, before any result (multipart's opening boundary). */
  readonly opening: string;
  result(result: FormattedExecutionResult): string;
  /** A transport-level error after the stream began (the subscription is over). */
  fatal(errors: readonly unknown[]): string;
  readonly heartbeat: string;
  readonly closing: string;
}

const SSE: Framing = {
  contentType: 'text/event-stream; charset=utf-8',
  opening: ':\n\n',
  result: (result) => `event: next\ndata: ${JSON.stringify(result)}\n\n`,
  fatal: (errors) => `event: next\ndata: ${JSON.stringify({ errors })}\n\n`,
  heartbeat: ':\n\n',
  closing: 'event: complete\ndata:\n\n',
};

const BOUNDARY = 'graphql';
const MULTIPART: Framing = {
  contentType: `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
  opening: `\r\n--${BOUNDARY}\r\n`,
  result: (result) => `content-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify({ payload: result })}\r\n--${BOUNDARY}\r\n`,
  fatal: (errors) => `content-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify({ payload: null, errors })}\r\n--${BOUNDARY}\r\n`,
  heartbeat: `content-type: application/json; charset=utf-8\r\n\r\n{}\r\n--${BOUNDARY}\r\n`,
  closing: `content-type: application/json; charset=utf-8\r\n\r\n{}\r\n--${BOUNDARY}--\r\n`,
};

const formatted = (result: ExecutionResult): FormattedExecutionResult => ({
  ...(result.errors ? { errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : {}),
  ...('data' in result ? { data: result.data ?? null } : {}),
  ...(result.extensions ? { extensions: result.extensions } : {}),
});

function payloadOf(req: Request): OperationPayload {
  if (req.method === 'GET') return getParameters(req.url);
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const record = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);
  return {
    query: body['query'],
    operationName: typeof body['operationName'] === 'string' ? body['operationName'] : undefined,
    variables: record(body['variables']),
    extensions: record(body['extensions']),
    documentId: body['documentId'],
  };
}

/**
 * Before a stream begins, errors are an ordinary JSON answer with the status GraphQL over HTTP gives them,
 * as Apollo Server sends one: `extensions.http` (a 401's `www-authenticate`, say) becomes the response's
 * headers and is not part of the body.
 */
function refuse(res: Response, status: number, errors: readonly GraphQLError[]) {
  const formatted = errors.map((error) => {
    const { http, ...extensions } = error.extensions as { http?: { headers?: Iterable<[string, string]> } };
    for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
    return formatError({ ...error.toJSON(), extensions }, error);
  });
  res.status(status).json({ errors: formatted });
}

const statusOf = (errors: readonly GraphQLError[]) => {
  const codes = errors.map((error) => error.extensions['code']);
  if (codes.includes('RATE_LIMITED')) return 429;
  if (codes.some((code) => code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')) return 200;
  return 400;
};

export function httpStreams(options: HttpStreamsOptions): RequestHandler {
  return (req, res, next) => {
    const protocol = streamingProtocol(req.headers.accept);
    if (!protocol) return next();
    void serve(req, res, protocol === 'sse' ? SSE : MULTIPART, options);
  };
}

async function serve(req: Request, res: Response, framing: Framing, options: HttpStreamsOptions): Promise<void> {
  const authorization = req.headers.authorization;
  let caller: Caller;
  try {
    caller = await options.authenticate(authorization);
  } catch (error) {
    refuse(res, 401, [error instanceof GraphQLError ? error : new GraphQLError('Invalid token', { extensions: { code: 'UNAUTHENTICATED' } })]);
    return;
  }
  const prepared = await options.prepare(payloadOf(req), caller, req.socket.remoteAddress, req.headers);
  if (!prepared.ok) return refuse(res, statusOf(prepared.errors), prepared.errors);
  const { engine, request, document, operation } = prepared;

  res.status(200);
  res.setHeader('content-type', framing.contentType);
  res.setHeader('cache-control', 'no-cache');
  // Proxies (nginx) must pass each event on as it comes.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.write(framing.opening);

  let finished = false;
  const finish = (last?: string) => {
    if (finished) return;
    finished = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    if (!res.writableEnded && !res.destroyed) res.end(last ?? framing.closing);
  };
  const send = (chunk: string) => {
    if (finished || res.destroyed) return;
    res.write(chunk);
    // A client that does not read: cut it off rather than hold its events (it resumes with afterEventId).
    if (res.writableLength > options.maxBufferedBytes) {
      request.context.logger.warn({ bufferedBytes: res.writableLength }, 'disconnecting a slow HTTP stream consumer');
      finished = true;
      res.destroy();
    }
  };
  const heartbeat = setInterval(() => send(framing.heartbeat), options.keepAliveMs);
  heartbeat.unref();
  // The token was checked once: the stream must not outlive it.
  const expiresAt = tokenExpiry(authorization, options.clockToleranceMs);
  const expiry = expiresAt === undefined ? undefined : setTimeout(() => {
    send(framing.fatal([{ message: 'Token expired', extensions: { code: 'UNAUTHENTICATED' } }]));
    finish();
  }, Math.max(0, expiresAt - Date.now()));
  expiry?.unref();

  if (operation.operation !== 'subscription') {
    const result = await engine.execute(request);
    if (operation.operation === 'mutation') await options.afterMutation?.(result, document, operation);
    send(framing.result(formatted(result)));
    finish();
    return;
  }
  const stream = await engine.subscribe(request);
  if (!(Symbol.asyncIterator in stream)) {
    send(framing.result(formatted(stream)));
    finish();
    return;
  }
  options.metrics?.openSubscriptions.inc();
  // The client went away: end the upstream subscription too.
  res.once('close', () => {
    finished = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    void stream.return(undefined);
  });
  try {
    for await (const event of stream) {
      if (finished) break;
      send(framing.result(formatted(event)));
    }
  } catch (error) {
    request.context.logger.error({ err: error }, 'an HTTP subscription stream failed');
    send(framing.fatal([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]));
  } finally {
    options.metrics?.openSubscriptions.dec();
    finish();
  }
}
