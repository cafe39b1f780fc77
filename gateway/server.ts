import { createServer } from 'node:http';
import cors from 'cors';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { CacheStore } from '../subgraphs/kit/cache-store.ts';
import { formatError } from '../subgraphs/kit/errors.ts';
import { errorLoggingPlugin } from '../subgraphs/kit/error-logging-plugin.ts';
import { listen, urlFor } from '../subgraphs/kit/listen.ts';
import type { Logger } from '../subgraphs/kit/logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from '../subgraphs/kit/request-id.ts';
import { webhookRouter, type WebhookRoute } from '../subgraphs/kit/webhook-route.ts';
import type { Authenticate } from './auth/authenticate.ts';
import { operationLogger, type GatewayContext } from './execute/gateway-context.ts';
import type { SubgraphUrls } from './execute/subgraph-endpoints.ts';
import { createSupergraphSchema } from './execute/supergraph-schema.ts';
import { checkReadiness } from './health/readiness.ts';
import { armorConfig, OPERATION_LIMITS } from './limits.ts';
import { graphqlBodyErrors } from './transport/http-errors.ts';
import { attachWebSocketTransport } from './transport/websocket.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls?: SubgraphUrls;
  host: string;
  port: number;
  logger: Logger;
  /** Backs automatic persisted queries, so they are shared by every replica when the store is Redis. */
  cacheStore: CacheStore;
  /** Production turns off the Sandbox landing page, introspection and field suggestions unless enabled below. */
  production: boolean;
  introspection?: boolean;
  landingPage?: boolean;
  /** Browser origins allowed to call the gateway; `true` reflects any origin (the development default). */
  corsOrigins?: readonly string[] | true;
  /** Provider webhook endpoints to serve on this public port (Stripe, GitHub, …). */
  webhooks?: readonly WebhookRoute[];
  /** Turns an Authorization header into a caller; rejects invalid tokens with UNAUTHENTICATED. */
  authenticate: Authenticate;
}

export interface RunningGateway {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly subgraphEndpoints: ReadonlyMap<string, string>;
  /** Whether Apollo Sandbox is served (off in production unless enabled). */
  readonly landingPage: boolean;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const APQ_TTL_SECONDS = 24 * 60 * 60;

/** Serves a Federation v2 supergraph over HTTP and graphql-ws on one port, with health endpoints. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger, production } = options;
  const supergraph = createSupergraphSchema({ supergraphSdl: options.supergraphSdl, subgraphUrls: options.subgraphUrls ?? {} });
  const armor = new ApolloArmor(armorConfig(production)).protect();
  const introspection = options.introspection ?? !production;
  const landingPage = options.landingPage ?? !production;

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const closeWebSockets = attachWebSocketTransport({
    httpServer,
    path: GRAPHQL_PATH,
    schema: supergraph.schema,
    logger,
    validationRules: armor.validationRules,
    maxTokens: OPERATION_LIMITS.maxTokens,
    authenticate: options.authenticate,
  });
  // Library boundary: KeyvAdapter's keyv typings differ from keyv's own in types only (stack notes, pitfall 11).
  const apqCache = new KeyvAdapter<string>(options.cacheStore.namespace('apq') as unknown as ConstructorParameters<typeof KeyvAdapter>[0]);

  const closeTransports: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        async drainServer() {
          await closeWebSockets();
          await supergraph.dispose();
        },
      };
    },
  };
  const apollo = new ApolloServer<GatewayContext>({
    schema: supergraph.schema,
    introspection,
    persistedQueries: { cache: apqCache, ttl: APQ_TTL_SECONDS },
    formatError,
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (bin/run-until-signalled.ts), which stops everything in order.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    // Token limit enforced by graphql-js's own parser, so an over-long document is a plain parse error (400).
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    plugins: [
      errorLoggingPlugin<GatewayContext>(),
      ...(armor.plugins as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      closeTransports,
      landingPage ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/health/ready', async (_req, res) => {
    const report = await checkReadiness({ endpoints: supergraph.endpoints, pingCache: () => options.cacheStore.ping() });
    res.status(report.ok ? 200 : 503).json(report);
  });
  if (options.webhooks?.length) app.use(webhookRouter(options.webhooks));
  app.use(
    GRAPHQL_PATH,
    cors({ origin: options.corsOrigins === true || options.corsOrigins === undefined ? !production : [...options.corsOrigins] }),
    express.json({ limit: OPERATION_LIMITS.maxBodyBytes }),
    graphqlBodyErrors,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        const caller = await options.authenticate(req.headers.authorization);
        return { requestId, caller, logger: operationLogger(logger, requestId, caller) };
      },
    }),
  );

  const port = await listen(httpServer, options.port, options.host, 'the gateway');
  let closing: Promise<void> | undefined;
  return {
    url: urlFor('http', options.host, port, GRAPHQL_PATH),
    wsUrl: urlFor('ws', options.host, port, GRAPHQL_PATH),
    port,
    subgraphEndpoints: supergraph.endpoints,
    landingPage,
    close() {
      closing ??= apollo.stop();
      return closing;
    },
  };
}
