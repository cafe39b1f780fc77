import { traceRequests } from './tracing.ts';
import { createServer } from 'node:http';
import express, { type RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { AuditLog } from './access/audit-log.ts';
import { auditPlugin } from './access/audit-plugin.ts';
import { formatError } from './errors.ts';
import { createInProcessCall, UNSIGNED_ANSWER, type InProcessCall } from './in-process-call.ts';
import { stalePlugin } from './stale-plugin.ts';
import { errorLoggingPlugin } from './error-logging-plugin.ts';
import { listen, urlFor } from './listen.ts';
import type { Logger } from './logger.ts';
import type { Caller } from './access/principal.ts';
import { GATEWAY_CONNECTION_PARAM, PRINCIPAL_EXTENSION, PRINCIPAL_HEADER, type PrincipalTokens } from './access/principal-token.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { BaseContext, Subgraph } from './subgraph.ts';
import { webhookRouter } from './webhooks/webhook-route.ts';

export interface RunningServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** `POST /graphql` without the socket, for a gateway in this process (`npm start`). */
  readonly call: InProcessCall;
  /** Drains HTTP, closes WebSockets, then releases what the subgraph holds (cache connections). */
  close(): Promise<void>;
}

export interface SubgraphServerOptions<Context extends BaseContext> {
  subgraph: Subgraph<Context>;
  host: string;
  port: number;
  logger: Logger;
  /** Verifies the gateway's signature on every operation (SUBGRAPH_SECRET): nothing else may call in. */
  tokens: PrincipalTokens;
  /** Where each mutation field's audit record goes. */
  audit?: AuditLog | undefined;
  bodyLimit?: string;
}

const GRAPHQL_PATH = '/graphql';

/** Serves one subgraph: HTTP and graphql-ws on the same port and path, plus `GET /health`. */
export async function startSubgraphServer<Context extends BaseContext>({
  subgraph,
  host,
  port,
  logger,
  tokens,
  audit,
  bodyLimit = '1mb',
}: SubgraphServerOptions<Context>): Promise<RunningServer> {
  const schema = buildSubgraphSchema([
    // Library boundary: codegen's resolver types and @apollo/subgraph's map are structurally different.
    { typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers as GraphQLResolverMap<unknown> },
  ]);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  // The HTTP server's own errors (a port in use) are reported by listen(); ws would only repeat them.
  wsServer.on('error', () => {});
  const wsCleanup = useServer(
    {
      schema,
      // The connection is the gateway's own, shared by many users: it proves only that it is the gateway.
      onConnect: (ctx) => {
        try {
          tokens.verifyGateway(ctx.connectionParams?.[GATEWAY_CONNECTION_PARAM]);
          return true;
        } catch {
          return false;
        }
      },
      // Each operation carries its own caller and request id in its extensions, signed by the gateway.
      onSubscribe: (_ctx, _id, payload) => {
        try {
          tokens.verifyCaller(payload.extensions?.[PRINCIPAL_EXTENSION]);
          return undefined;
        } catch {
          return [new GraphQLError('requests must come through the gateway', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
      },
      context: (_ctx, _id, payload) =>
        subgraph.createContext({ requestId: payload.extensions?.['requestId'], caller: tokens.verifyCaller(payload.extensions?.[PRINCIPAL_EXTENSION]) }),
    },
    wsServer,
  );
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (bin/run-until-signalled.ts), which stops everything in order.
    stopOnTerminationSignals: false,
    plugins: [
      errorLoggingPlugin<Context>(),
      ...(subgraph.requestLog ? [stalePlugin<Context>({ provider: subgraph.name, stale: subgraph.requestLog.stale })] : []),
      ...(audit ? [auditPlugin<Context>({ audit, provider: subgraph.name, providerRequestIds: () => subgraph.requestLog?.current() ?? [] })] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Inline traces feed Apollo Studio, which this gateway does not report to.
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints are unused here (the gateway caches answers itself): without this plugin, which is on
      // by default, no per-field hook runs, so graphql-js calls the resolvers directly.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
    ],
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    const report = await subgraph.health();
    // An open breaker is reported, not a reason to be taken out of rotation: the other providers still answer.
    res.status(report.ok ? 200 : 503).json({ name: subgraph.name, ...report, ...(subgraph.policy ? { breaker: subgraph.policy.state() } : {}) });
  });
  if (subgraph.webhooks?.length) app.use(webhookRouter(subgraph.webhooks));
  app.use(
    GRAPHQL_PATH,
    // In the gateway's trace (the traceparent of its fetch), so provider calls show under the operation.
    traceRequests(GRAPHQL_PATH, { 'graphql.subgraph.name': subgraph.name }),
    requireGatewaySignature(tokens),
    // Everything this request does from here on (resolvers, SDK calls) records provider ids in its own log.
    (_req, _res, next) => (subgraph.requestLog ? subgraph.requestLog.run(next) : next()),
    express.json({ limit: bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => subgraph.createContext({ requestId: req.headers[REQUEST_ID_HEADER], caller: res.locals['caller'] as Caller }),
    }),
  );

  const boundPort = await listen(httpServer, port, host, `the ${subgraph.name} subgraph`);
  let closing: Promise<void> | undefined;
  return {
    call: createInProcessCall({ apollo, subgraph, tokens, route: GRAPHQL_PATH, stopped: () => closing !== undefined }),
    url: urlFor('http', host, boundPort, GRAPHQL_PATH),
    wsUrl: urlFor('ws', host, boundPort, GRAPHQL_PATH),
    port: boundPort,
    close() {
      closing ??= (async () => {
        await apollo.stop();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        await subgraph.close();
        logger.debug({ subgraph: subgraph.name }, 'subgraph stopped');
      })();
      return closing;
    },
  };
}

/**
 * Answers 401 to any GraphQL request without the gateway's signature, before it is parsed: a subgraph
 * reached directly must not serve data (shield's rules run at the gateway). `_service` and `_entities`
 * stay usable by the gateway, which signs every request it sends.
 */
function requireGatewaySignature(tokens: PrincipalTokens): RequestHandler {
  return (req, res, next) => {
    try {
      res.locals['caller'] = tokens.verifyCaller(req.headers[PRINCIPAL_HEADER]);
      next();
    } catch {
      res.status(401).type('application/json').send(UNSIGNED_ANSWER);
    }
  };
}
