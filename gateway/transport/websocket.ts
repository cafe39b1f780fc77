import type { Server } from 'node:http';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { requestIdFrom } from '../../subgraphs/kit/request-id.ts';
import type { Logger } from '../../subgraphs/kit/logger.ts';
import type { AccessRules } from '../../subgraphs/kit/access.ts';
import type { Authenticate } from '../auth/authenticate.ts';
import { checkRootAccess } from '../authorize/operation-access.ts';
import { ANONYMOUS_CALLER, type Caller } from '../auth/principal.ts';
import { operationLogger, type GatewayContext } from '../execute/gateway-context.ts';
import { rateLimitedError, rateLimitKey, type RateLimiter } from '../rate-limit.ts';

export interface WebSocketTransportOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  logger: Logger;
  /** The same validation rules as HTTP (depth, aliases, cost): Apollo Server's apply to HTTP only. */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  /** The same authentication as HTTP; the token travels in `connectionParams.authorization`. */
  authenticate: Authenticate;
  /** The same rules as HTTP, checked before an operation starts (shield never sees `subscribe`). */
  accessRules: AccessRules;
  rateLimiter?: RateLimiter | undefined;
}

/** graphql-ws on the gateway's own port and path; returns a function that closes every socket. */
export function attachWebSocketTransport({ httpServer, path, schema, logger, validationRules, maxTokens, authenticate, accessRules, rateLimiter }: WebSocketTransportOptions) {
  const wsServer = new WebSocketServer({ server: httpServer, path });
  // The HTTP server's own errors (a port in use) are reported by listen(); ws would only repeat them.
  wsServer.on('error', () => {});
  // The caller of each connection, authenticated once in onConnect.
  const callers = new WeakMap<object, Caller>();
  const cleanup = useServer(
    {
      schema,
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.['authorization'];
        try {
          callers.set(ctx, await authenticate(typeof authorization === 'string' ? authorization : undefined));
          return true;
        } catch {
          // graphql-ws closes with 4403 Forbidden: the client must not retry with the same token.
          return false;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? withCode(error, 'GRAPHQL_PARSE_FAILED') : new GraphQLError('Invalid query')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const caller = callers.get(ctx) ?? ANONYMOUS_CALLER;
        const refusals = checkRootAccess({ schema, document, operationName: payload.operationName, variables: payload.variables, caller, rules: accessRules });
        if (refusals.length > 0) return refusals;
        const refused = await rateLimiter?.(rateLimitKey(caller, ctx.extra.request.socket.remoteAddress), 1);
        if (refused) return [rateLimitedError(refused.retryAfterSeconds, 'websocket')];
        const requestId = requestIdFrom(payload.extensions?.['requestId']);
        const contextValue: GatewayContext = { requestId, caller, logger: operationLogger(logger, requestId, caller) };
        return {
          schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue,
        };
      },
    },
    wsServer,
  );
  return async () => {
    await cleanup.dispose();
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code } });
}
