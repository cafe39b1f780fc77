import { createServer } from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { formatError } from './errors.ts';
import { errorLoggingPlugin } from './error-logging-plugin.ts';
import { listen, urlFor } from './listen.ts';
import type { Logger } from './logger.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { BaseContext, Subgraph } from './subgraph.ts';
import { webhookRouter } from './webhook-route.ts';

export interface RunningServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** Drains HTTP, closes WebSockets, then releases what the subgraph holds (cache connections). */
  close(): Promise<void>;
}

export interface SubgraphServerOptions<Context extends BaseContext> {
  subgraph: Subgraph<Context>;
  host: string;
  port: number;
  logger: Logger;
  bodyLimit?: string;
}

const GRAPHQL_PATH = '/graphql';

/** Serves one subgraph: HTTP and graphql-ws on the same port and path, plus `GET /health`. */
export async function startSubgraphServer<Context extends BaseContext>({
  subgraph,
  host,
  port,
  logger,
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
      // Per-operation data (the request id) travels in each subscribe message's extensions, never in the
      // connection's parameters, which the gateway shares between users.
      context: (_ctx, _id, payload) => subgraph.createContext({ requestId: payload.extensions?.['requestId'] }),
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
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Inline traces feed Apollo Studio, which this gateway does not report to.
      ApolloServerPluginInlineTraceDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
    ],
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    const report = await subgraph.health();
    res.status(report.ok ? 200 : 503).json({ name: subgraph.name, ...report });
  });
  if (subgraph.webhooks?.length) app.use(webhookRouter(subgraph.webhooks));
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req }) => subgraph.createContext({ requestId: req.headers[REQUEST_ID_HEADER] }),
    }),
  );

  const boundPort = await listen(httpServer, port, host, `the ${subgraph.name} subgraph`);
  let closing: Promise<void> | undefined;
  return {
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
