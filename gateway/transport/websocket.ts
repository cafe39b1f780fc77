import type { IncomingHttpHeaders, Server } from 'node:http';
import { getOperationAST, GraphQLError, type ExecutionResult, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { Authenticate } from '../auth/authenticate.ts';
import type { OperationRequest, PlanEngine } from '../engine/plan-engine.ts';
import { ANONYMOUS_CALLER, type Caller } from '../auth/principal.ts';
import type { OperationPreparer } from './prepare-operation.ts';
import { tokenExpiry } from '../auth/token-expiry.ts';
import { TOKEN_EXPIRED_MESSAGE } from '../auth/token-verifier.ts';

export interface WebSocketTransportOptions {
  httpServer: Server;
  path: string;
  /**
   * The engine serving now (the same engine, plan cache and access decision as HTTP). Asked once per
   * operation: an operation runs to its end on the engine it was validated against, whatever is reloaded.
   */
  engine: () => PlanEngine;
  /**
   * Trusted documents, parsing, the same validation rules and masking as HTTP, the subscription's
   * authorization and the rate limit: the preparer the SSE and multipart transports use too.
   */
  prepare: OperationPreparer;
  logger: Logger;
  /** The same authentication as HTTP; the token travels in `connectionParams.authorization`. */
  authenticate: Authenticate;
  /** The token's clock tolerance (JWT_CLOCK_TOLERANCE_SECONDS): a socket closes when its token would no longer be accepted. */
  clockToleranceMs?: number | undefined;
  /** How often each socket is pinged; a socket that has not answered the previous ping by then is dropped. */
  keepAliveMs?: number;
  /** Bytes a client may leave unread before it is disconnected (close 1013: reconnect and resume). */
  maxBufferedBytes?: number;
  /** How long a client may leave a message unread before it is disconnected (close 1013). */
  maxStallMs?: number;
  /** Counts the subscriptions streaming (`fgw_open_subscriptions`). */
  metrics?: Metrics | undefined;
  /** Runs after a mutation executed here, before its result is sent (the response cache may forget its entries). */
  afterMutation?: ((result: ExecutionResult, document: DocumentNode, operation: OperationDefinitionNode) => Promise<void>) | undefined;
}

/** Close code for a connection whose token expired: graphql-ws's Forbidden, so clients reconnect with a fresh token rather than retry. */
export const TOKEN_EXPIRED_CLOSE = 4403;


/** Close code for a client that does not read its events: "try again later", so clients reconnect and resume. */
export const SLOW_CONSUMER_CLOSE = 1013;

/** graphql-ws on the gateway's own port and path; returns a function that closes every socket. */
export function attachWebSocketTransport({
  httpServer,
  path,
  engine,
  prepare,
  logger,
  authenticate,
  clockToleranceMs = 0,
  keepAliveMs = 15_000,
  maxBufferedBytes = 1024 * 1024,
  maxStallMs = 10_000,
  metrics,
  afterMutation,
}: WebSocketTransportOptions) {
  const wsServer = new WebSocketServer({ server: httpServer, path });
  // The HTTP server's own errors (a port in use) are reported by listen(); ws would only repeat them.
  const ignoreListenErrors = () => {};
  wsServer.on('error', ignoreListenErrors);
  const stopKeepAlive = keepSocketsAlive(wsServer, keepAliveMs);
  const stopStallWatch = dropStalledSockets(wsServer, maxStallMs, logger);
  // The caller of each connection, authenticated once in onConnect.
  const callers = new WeakMap<object, Caller>();
  // When each authenticated connection's token expires (ms since the epoch).
  const expiries = new WeakMap<object, number>();
  // What each connection's client sent as headers, for the ones forwarded to subgraphs (clientHeaders).
  const headers = new WeakMap<object, IncomingHttpHeaders>();
  const streaming = metrics ? streamingCounter(metrics) : undefined;
  // The request each operation's context stands for, and its engine, from onSubscribe to execute/subscribe.
  const requests = new WeakMap<object, { request: OperationRequest; engine: PlanEngine }>();
  const requestOf = (contextValue: unknown) => {
    const bound = typeof contextValue === 'object' && contextValue !== null ? requests.get(contextValue) : undefined;
    if (!bound) throw new Error('an operation reached execution without passing onSubscribe');
    return bound;
  };
  const cleanup = useServer(
    {
      schema: () => engine().schema,
      execute: (args) => {
        const { request, engine } = requestOf(args.contextValue);
        return engine.execute(request);
      },
      subscribe: (args) => {
        const { request, engine } = requestOf(args.contextValue);
        return engine.subscribe(request);
      },
      async onConnect(ctx) {
        // Clients spell it `authorization` or `Authorization`; anything but a string is refused, never anonymous.
        const key = Object.keys(ctx.connectionParams ?? {}).find((name) => name.toLowerCase() === 'authorization');
        const authorization = key ? ctx.connectionParams?.[key] : undefined;
        if (authorization !== undefined && authorization !== null && typeof authorization !== 'string') return false;
        try {
          callers.set(ctx, await authenticate(authorization ?? undefined));
          headers.set(ctx, clientHeaders(ctx.extra.request.headers, ctx.connectionParams));
          // The token is checked once, here: the socket must not outlive it.
          const expiresAt = tokenExpiry(authorization ?? undefined, clockToleranceMs);
          if (expiresAt !== undefined) {
            const socket = ctx.extra.socket;
            const timer = setTimeout(() => socket.close(TOKEN_EXPIRED_CLOSE, 'Token expired'), Math.max(0, expiresAt - Date.now()));
            timer.unref();
            socket.once('close', () => clearTimeout(timer));
            expiries.set(ctx, expiresAt);
          }
          return true;
        } catch (error) {
          // graphql-ws closes with 4403 Forbidden: the client must not retry with the same token. An expired
          // one is said so, as when it expires later, so the client knows a fresh token will do.
          if (error instanceof GraphQLError && error.message === TOKEN_EXPIRED_MESSAGE) ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE, 'Token expired');
          return false;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        const expiresAt = expiries.get(ctx);
        if (expiresAt !== undefined && expiresAt <= Date.now()) {
          ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE, 'Token expired');
          return [new GraphQLError('Token expired', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const prepared = await prepare(payload, callers.get(ctx) ?? ANONYMOUS_CALLER, ctx.extra.request.socket.remoteAddress, headers.get(ctx));
        if (!prepared.ok) return [...prepared.errors];
        const { request, engine: serving, document } = prepared;
        const contextValue = request.context;
        requests.set(contextValue, { request, engine: serving });
        return {
          schema: serving.schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue,
        };
      },
      async onOperation(ctx, id, payload, args, result) {
        streaming?.started(ctx, id, payload, result);
        const operation = afterMutation ? getOperationAST(args.document, args.operationName) : null;
        if (!afterMutation || operation?.operation !== 'mutation') return;
        // graphql-ws has already awaited execution here; its types leave room for a promise.
        const settled = await result;
        if (!isAsyncIterable(settled)) await afterMutation(settled, args.document, operation);
      },
      onComplete(ctx, _id, payload) {
        streaming?.ended(ctx, payload);
      },
      onClose(ctx) {
        streaming?.closed(ctx);
      },
      onNext(ctx, _id, _payload, _args, result) {
        // A client that does not read makes the socket's buffer grow; past the limit it is dropped, so that
        // it cannot hold memory (or, through a slow upstream, delay anyone else). It resumes with afterEventId.
        if (ctx.extra.socket.bufferedAmount > maxBufferedBytes) {
          logger.warn({ bufferedBytes: ctx.extra.socket.bufferedAmount }, 'disconnecting a slow WebSocket consumer');
          ctx.extra.socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: reconnect and resume');
          return;
        }
        // The same masking as HTTP: no internal detail of an unexpected error reaches the client.
        return result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined;
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map((error) => formatError(error.toJSON(), error));
      },
    },
    wsServer,
  );
  // ws repeats the HTTP server's errors, and graphql-ws prints any as "Internal error emitted on the WebSocket
  // server" with a stack: a port in use would be reported twice, the first time confusingly. Its handler
  // waits until the server listens; listen() reports failing to.
  if (!httpServer.listening) {
    const graphqlWsHandlers = wsServer.listeners('error').filter((listener) => listener !== ignoreListenErrors);
    for (const handler of graphqlWsHandlers) wsServer.off('error', handler as (error: Error) => void);
    httpServer.once('listening', () => {
      for (const handler of graphqlWsHandlers) wsServer.once('error', handler as (error: Error) => void);
    });
  }
  return async () => {
    stopKeepAlive();
    stopStallWatch();
    await cleanup.dispose();
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
  };
}

/**
 * `fgw_open_subscriptions`, each operation counted once while it streams. graphql-ws 6 (server-*.js) calls
 * onOperation once the operation's result exists and, for a stream, iterates it only while the id is still in
 * `ctx.subscriptions` (a client that completed or left before that point never streams, so is not counted);
 * it calls onComplete when the stream ends, whether it ended by itself, by the client's `complete`, or because
 * the socket closed (closing returns every stream, which ends the loop, then onComplete runs, possibly after
 * onClose). onComplete is skipped only if sending an error itself throws; onClose catches that case.
 * Operations are tracked by their subscribe message's payload (the same object reaches onOperation and
 * onComplete; an id may be reused once completed), so whichever of onComplete and onClose comes first
 * decrements, and only once.
 */
function streamingCounter(metrics: Metrics) {
  const open = new WeakMap<object, Set<object>>();
  return {
    started(ctx: { subscriptions: Record<string, unknown> }, id: string, operation: object, result: unknown) {
      if (!isAsyncIterable(result) || !(id in ctx.subscriptions)) return;
      let operations = open.get(ctx);
      if (!operations) open.set(ctx, (operations = new Set()));
      if (operations.has(operation)) return;
      operations.add(operation);
      metrics.openSubscriptions.inc();
    },
    ended(ctx: object, operation: object) {
      const operations = open.get(ctx);
      if (!operations?.delete(operation)) return;
      metrics.openSubscriptions.dec();
      if (operations.size === 0) open.delete(ctx);
    },
    closed(ctx: object) {
      const operations = open.get(ctx);
      if (!operations) return;
      open.delete(ctx);
      if (operations.size > 0) metrics.openSubscriptions.dec(operations.size);
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/**
 * Pings every socket every `intervalMs`; one that has not answered the previous ping is terminated, so a
 * phone that went into a tunnel does not hold a subscription (and its upstream) open forever.
 */
function keepSocketsAlive(wsServer: WebSocketServer, intervalMs: number): () => void {
  const alive = new WeakSet<WebSocket>();
  wsServer.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });
  const timer = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * graphql-ws waits for each message to be written before it sends the next, so a client that stops
 * reading stalls its subscriptions while their upstream events queue up in the gateway. A socket whose
 * buffer has not emptied for `maxStallMs` is closed with 1013 ("try again later"): the client reconnects
 * and resumes with the last event id it saw, and nobody else waited for it.
 */
function dropStalledSockets(wsServer: WebSocketServer, maxStallMs: number, logger: Logger): () => void {
  const stalledSince = new WeakMap<WebSocket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of wsServer.clients) {
      if (socket.bufferedAmount === 0 || socket.readyState !== socket.OPEN) {
        stalledSince.delete(socket);
        continue;
      }
      const since = stalledSince.get(socket) ?? now;
      stalledSince.set(socket, since);
      if (now - since >= maxStallMs) {
        logger.warn({ bufferedBytes: socket.bufferedAmount, stalledMs: now - since }, 'disconnecting a WebSocket client that stopped reading');
        socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: reconnect and resume');
      }
    }
  }, Math.max(20, Math.floor(maxStallMs / 4)));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A WebSocket client's headers: those of its upgrade request, with its `connectionParams` string entries
 * over them (names in lower case). Browsers cannot set headers on a WebSocket, so they send what the
 * gateway should forward (a tenant, a subgraph's token) in `connectionParams`, as they send `authorization`.
 */
export function clientHeaders(upgrade: IncomingHttpHeaders, connectionParams: Readonly<Record<string, unknown>> | undefined): IncomingHttpHeaders {
  const merged: IncomingHttpHeaders = { ...upgrade };
  for (const name in connectionParams) {
    const value = connectionParams[name];
    if (typeof value === 'string') merged[name.toLowerCase()] = value;
  }
  return merged;
}
