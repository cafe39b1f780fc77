import { createServer } from 'node:http';
import type { DocumentNode } from 'graphql';
import cors from 'cors';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { EXPLORER_ASSETS_ROUTE, explorerAssetsRoute, lazyExplorerAssets } from './explorer/explorer-assets.ts';
import { explorerLandingPage } from './explorer/landing-page.ts';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { AccessRules } from '../kit/access/access.ts';
import type { AuditLog } from '../kit/access/audit-log.ts';
import type { CacheStore } from '../kit/cache/cache-store.ts';
import { formatError } from '../kit/errors.ts';
import { errorLoggingPlugin } from '../kit/error-logging-plugin.ts';
import { listen, urlFor } from '../kit/listen.ts';
import type { Logger } from '../kit/logger.ts';
import type { PrincipalTokens } from '../kit/access/principal-token.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from '../kit/request-id.ts';
import { traceRequests } from '../kit/tracing.ts';
import { webhookRouter, type WebhookRoute } from '../kit/webhooks/webhook-route.ts';
import type { Authenticate } from './auth/authenticate.ts';
import { operationLogger, type GatewayContext } from './execute/gateway-context.ts';
import type { SubgraphUrls } from './engine/subgraph-endpoints.ts';
import { planGateway } from './engine/apollo-gateway.ts';
import { createSubgraphHttp } from './engine/subgraph-http.ts';
import type { InProcessCall } from '../kit/in-process-call.ts';
import { createSubgraphStreams } from './engine/subgraph-websocket.ts';
import { serveSupergraph } from './serve-supergraph.ts';
import { createOperationSharing } from './engine/operation-sharing.ts';
import type { DefaultAccess } from './authorize/policy.ts';
import type { Policies } from './authorize/directive-rules.ts';
import { schemaDetails } from './schema-details.ts';
import { armorConfig, DEFAULT_LIMITS, explainValidationError, type OperationLimits, type RateLimit } from './limits.ts';
import { costLimitPlugin } from './operation-cost.ts';
import { createRateLimiter, rateLimitedError, rateLimitKey } from './rate-limit.ts';
import { batchLimit, graphqlBodyErrors } from './transport/http-errors.ts';
import { attachWebSocketTransport } from './transport/websocket.ts';
import { trustedDocumentsHttp } from './transport/trusted-documents-http.ts';
import { httpStreams } from './transport/http-streams.ts';
import { createOperationPreparer } from './transport/prepare-operation.ts';
import type { TrustedDocumentsPolicy } from './persisted-documents/resolve.ts';
import { staleExtensionPlugin } from './execute/stale-extension.ts';
import { createResponseCache, purgingWebhooks } from './execute/response-cache.ts';
import { subscriptionsNeedAStream } from './transport/subscriptions-need-a-stream.ts';
import { PROVIDER_STATUS_FIELD } from './execute/provider-status.ts';
import type { Metrics } from '../kit/metrics.ts';
import { metricsPlugin } from './metrics-plugin.ts';
import { createSubgraphBreakers } from './engine/subgraph-breakers.ts';
import { metricsRoute } from './metrics-route.ts';
import { forwardedHeaders } from './execute/forwarded-headers.ts';
import { requestedOverrideLabels } from './engine/progressive-override.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls?: SubgraphUrls;
  /** Subgraphs served by this process, called without a socket (`npm start`); the others over HTTP. */
  inProcessSubgraphs?: (name: string) => InProcessCall | undefined;
  /** Per subgraph, a health URL `/health/ready` GETs instead of asking it `{ __typename }` (SUBGRAPH_HEALTH_URL_<NAME>). */
  subgraphHealthUrls?: SubgraphUrls;
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
  /** How long past `exp` `authenticate` still accepts a token (JWT_CLOCK_TOLERANCE_SECONDS); sockets and streams end then. */
  clockToleranceMs?: number;
  /** Who may use which field; root fields without a rule are denied (gateway/authorize). A function derives them from each supergraph served. */
  accessRules: AccessRules | ((supergraph: DocumentNode) => AccessRules);
  /** Skip rules naming fields the supergraph lacks (serving a supergraph other than ours) instead of failing. */
  ignoreRulesForMissingFields?: boolean;
  /** The policies `@policy(policies:)` in the supergraph names, by name (an unregistered one is never satisfied). */
  policies?: Policies;
  /** What root fields without a rule (ours or the supergraph's authorization directives) get: `deny` (the default), `authenticated` or `public`. */
  defaultAccess?: DefaultAccess;
  /**
   * The subgraphs that are our providers' (they serve `GET /health` with their provider's health and
   * breaker): readiness and the admin-only `providerStatus` report them. None by default: a foreign
   * subgraph has no such endpoint, and without any the gateway adds nothing to the supergraph's schema.
   */
  providerSubgraphs?: readonly string[];
  /** Signs the caller onto every subgraph request with the secret only the subgraphs share. */
  tokens: PrincipalTokens;
  limits?: OperationLimits;
  /** Prometheus instruments: operations, open subscriptions, and `GET /metrics`. */
  metrics?: Metrics | undefined;
  /** Records mutations refused here, before any subgraph (the subgraphs record the ones they run). */
  audit?: AuditLog | undefined;
  /** Per-principal token bucket; off when absent. */
  rateLimit?: RateLimit | undefined;
  /** Trusted documents (`--persisted-documents`): operations by id from a manifest, and optionally nothing else. */
  trustedDocuments?: TrustedDocumentsPolicy | undefined;
  /** Keeps each caller's complete query answers this long (RESPONSE_CACHE_TTL_SECONDS); off when 0 or absent. */
  responseCacheTtlSeconds?: number | undefined;
  /** Identical queries of one caller in flight at the same moment run once (GATEWAY_SHARE_OPERATIONS); on unless false. */
  shareOperations?: boolean | undefined;
  /** Client headers passed on to every subgraph request (GATEWAY_FORWARD_HEADERS), lower-case names; none when absent. */
  forwardHeaders?: readonly string[] | undefined;
  /** Custom progressive override labels on for every request (GATEWAY_OVERRIDE_LABELS); `percent(n)` labels need none. */
  overrideLabels?: readonly string[] | undefined;
  /** Custom override labels a request may turn on with its `x-override-labels` header (GATEWAY_OVERRIDE_REQUEST_LABELS). */
  requestOverrideLabels?: readonly string[] | undefined;
  /** The per-request draw for `percent(n)` override labels, in [0, 1) (Math.random unless given, as tests do). */
  overrideRandom?: (() => number) | undefined;
}

export interface RunningGateway {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly subgraphEndpoints: ReadonlyMap<string, string>;
  /**
   * Serves another supergraph from now on, without dropping anything: requests in flight and open
   * subscriptions finish on the one they started with. Throws (and the current one keeps serving) when
   * it cannot be served; false when it is the one already served.
   */
  reload(supergraphSdl: string): Promise<boolean>;
  /** Whether Apollo Sandbox is served (off in production unless enabled). */
  readonly landingPage: boolean;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const APQ_TTL_SECONDS = 24 * 60 * 60;

/** Serves a Federation v2 supergraph over HTTP and graphql-ws on one port, with health endpoints. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger, production } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const introspection = options.introspection ?? !production;
  const landingPage = options.landingPage ?? !production;
  const details = schemaDetails({ introspection, hideSuggestions: production });
  // Where each subgraph is, for the supergraph serving now: updated in place when another one is loaded.
  const endpoints = new Map<string, string>();
  const breakers = createSubgraphBreakers(
    { failures: limits.subgraphBreakerFailures, halfOpenAfterMs: limits.subgraphBreakerHalfOpenMs },
    { logger, onStateChange: options.metrics ? (subgraph, state) => options.metrics?.setSubgraphBreakerState(subgraph, state) : undefined },
  );
  const subgraphHttp = createSubgraphHttp({ endpoints, tokens: options.tokens, timeoutMs: limits.subgraphTimeoutMs, inProcess: options.inProcessSubgraphs, breakers });
  const subgraphStreams = createSubgraphStreams({ endpoints, tokens: options.tokens, timeoutMs: limits.subgraphTimeoutMs, breakers });
  const operationSharing = options.shareOperations === false ? undefined : createOperationSharing();
  const forwardHeaders = options.forwardHeaders ?? [];
  const requestOverrideLabels: ReadonlySet<string> = new Set(options.requestOverrideLabels ?? []);
  const load = (supergraphSdl: string) =>
    serveSupergraph(supergraphSdl, {
      ...options,
      pingCache: () => options.cacheStore.ping(),
      limits,
      details,
      call: subgraphHttp.call,
      inProcess: subgraphHttp.inProcess,
      streams: subgraphStreams,
      operationSharing,
    });
  let serving = load(options.supergraphSdl);
  const useEndpoints = (next: ReadonlyMap<string, string>) => {
    endpoints.clear();
    for (const [name, url] of next) endpoints.set(name, url);
    breakers.track(next.keys());
  };
  useEndpoints(serving.endpoints);
  const readiness = () => serving.readiness();
  const rateLimiter = options.rateLimit ? createRateLimiter(options.cacheStore, options.rateLimit, { onStoreError: options.rateLimit.onStoreError, logger }) : undefined;
  const responseCache = options.responseCacheTtlSeconds
    ? createResponseCache({ cacheStore: options.cacheStore, ttlSeconds: options.responseCacheTtlSeconds, logger, liveRootFields: new Set([PROVIDER_STATUS_FIELD]), metrics: options.metrics })
    : undefined;
  const armor = new ApolloArmor(armorConfig(limits, production)).protect();
  const explorerAssets = landingPage ? lazyExplorerAssets() : undefined;

  const app = express();
  app.disable('x-powered-by');
  // Hashing every (large) response for an ETag costs CPU; GraphQL POST answers are not revalidated anyway.
  app.set('etag', false);
  const httpServer = createServer(app);
  // What Apollo Server does for its own requests, for graphql-ws, SSE and multipart alike.
  const prepare = createOperationPreparer({
    engine: () => serving.engine,
    logger,
    validationRules: armor.validationRules,
    details,
    maxTokens: limits.maxTokens,
    maxCost: limits.maxCost,
    rateLimiter,
    trustedDocuments: options.trustedDocuments,
    forwardHeaders,
    requestOverrideLabels,
  });
  const closeWebSockets = attachWebSocketTransport({
    httpServer,
    path: GRAPHQL_PATH,
    engine: () => serving.engine,
    prepare,
    logger,
    authenticate: options.authenticate,
    clockToleranceMs: options.clockToleranceMs,
    metrics: options.metrics,
    keepAliveMs: limits.wsKeepAliveMs,
    maxBufferedBytes: limits.wsMaxBufferedBytes,
    maxStallMs: limits.wsMaxStallMs,
    afterMutation: responseCache?.afterMutation,
  });
  // Library boundary: KeyvAdapter's keyv typings differ from keyv's own in types only (stack notes, pitfall 11).
  const apqCache = new KeyvAdapter<string>(options.cacheStore.namespace('apq') as unknown as ConstructorParameters<typeof KeyvAdapter>[0]);

  const closeTransports: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        async drainServer() {
          await closeWebSockets();
          await subgraphStreams.close();
        },
      };
    },
  };
  const gateway = planGateway(serving, () => subgraphHttp.close());
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection,
    // No "Did you mean …?" in production: suggestions spell out the schema (the WebSocket path masks the same).
    hideSchemaDetailsFromClientErrors: production,
    persistedQueries: { cache: apqCache, ttl: APQ_TTL_SECONDS },
    formatError: (formatted, error) => formatError(explainValidationError(formatted), error),
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (bin/run-until-signalled.ts), which stops everything in order.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    // Refuses simple (form-like) requests that a browser would send cross-site without a preflight.
    csrfPrevention: true,
    validationRules: armor.validationRules,
    // Token limit enforced by graphql-js's own parser, so an over-long document is a plain parse error (400).
    parseOptions: { maxTokens: limits.maxTokens },
    ...(operationSharing ? { stringifyResult: operationSharing.stringifyResult } : {}),
    plugins: [
      // Cache hints are not used by this gateway, and the plugin wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      errorLoggingPlugin<GatewayContext>(),
      staleExtensionPlugin,
      ...(options.metrics ? [metricsPlugin<GatewayContext>(options.metrics)] : []),
      ...(responseCache?.plugins ?? []),
      ...(armor.plugins as ApolloServerPlugin<GatewayContext>[]),
      costLimitPlugin<GatewayContext>(limits.maxCost),
      subscriptionsNeedAStream<GatewayContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      closeTransports,
      explorerAssets ? explorerLandingPage<GatewayContext>({ assets: explorerAssets }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ ok: true });
  });
  if (options.metrics) app.get('/metrics', metricsRoute(options.metrics.registry));
  if (explorerAssets) app.get(EXPLORER_ASSETS_ROUTE, explorerAssetsRoute(explorerAssets));
  app.get('/health/ready', async (_req, res) => {
    const report = await readiness();
    res.status(report.ok ? 200 : 503).json(report);
  });
  if (options.webhooks?.length) app.use(webhookRouter(responseCache ? purgingWebhooks(options.webhooks, responseCache.purge) : options.webhooks));
  app.use(
    GRAPHQL_PATH,
    // In the client's trace (its traceparent), if it sent one; the operation's spans hang from this one.
    traceRequests(GRAPHQL_PATH),
    cors({ origin: options.corsOrigins === true || options.corsOrigins === undefined ? !production : [...options.corsOrigins] }),
    express.json({ limit: limits.maxBodyBytes }),
    graphqlBodyErrors,
    batchLimit(limits.maxBatch),
    // SSE and multipart subscriptions: answered here, with the same preparation as graphql-ws.
    httpStreams({
      prepare,
      authenticate: options.authenticate,
      clockToleranceMs: options.clockToleranceMs,
      logger,
      keepAliveMs: limits.wsKeepAliveMs,
      maxBufferedBytes: limits.wsMaxBufferedBytes,
      metrics: options.metrics,
      afterMutation: responseCache?.afterMutation,
    }),
    ...(options.trustedDocuments ? [trustedDocumentsHttp(options.trustedDocuments)] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        const caller = await options.authenticate(req.headers.authorization);
        // Before parsing or planning: a refused request costs no subgraph or provider call.
        const refused = await rateLimiter?.(rateLimitKey(caller, req.socket.remoteAddress), Array.isArray(req.body) ? req.body.length : 1);
        if (refused) throw rateLimitedError(refused.retryAfterSeconds, 'http');
        const forwarded = forwardedHeaders(req.headers, forwardHeaders);
        const overrideLabels = requestedOverrideLabels(req.headers, requestOverrideLabels);
        return { requestId, caller, logger: operationLogger(logger, requestId, caller), stale: [], ...(forwarded ? { forwardedHeaders: forwarded } : {}), ...(overrideLabels ? { overrideLabels } : {}) };
      },
    }),
  );
  // Any other path (a webhook route for a provider this gateway does not have, say): JSON, as every other answer.
  app.use((req, res) => {
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });

  const port = await listen(httpServer, options.port, options.host, 'the gateway');
  let closing: Promise<void> | undefined;
  return {
    url: urlFor('http', options.host, port, GRAPHQL_PATH),
    wsUrl: urlFor('ws', options.host, port, GRAPHQL_PATH),
    port,
    get subgraphEndpoints() {
      return serving.endpoints;
    },
    landingPage,
    async reload(supergraphSdl) {
      if (supergraphSdl === serving.supergraphSdl) return false;
      const next = load(supergraphSdl);
      serving = next;
      useEndpoints(next.endpoints);
      gateway.update(next);
      logger.info({ subgraphs: Object.fromEntries(next.endpoints) }, 'supergraph reloaded');
      return true;
    },
    close() {
      closing ??= apollo.stop();
      return closing;
    },
  };
}
