import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { buildGraphQLWSExecutor } from '@graphql-tools/executor-graphql-ws';
import type { Executor } from '@graphql-tools/utils';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import { OPERATION_NAME_HEADER } from '../../kit/access/audit-plugin.ts';
import { ANONYMOUS_CALLER } from '../../kit/access/principal.ts';
import { parseStaleHeader, STALE_HEADER } from '../../kit/stale-plugin.ts';
import { GATEWAY_CONNECTION_PARAM, PRINCIPAL_EXTENSION, PRINCIPAL_HEADER, type PrincipalTokens } from '../../kit/access/principal-token.ts';
import { REQUEST_ID_HEADER } from '../../kit/request-id.ts';
import { isGatewayContext } from './gateway-context.ts';
import { sharedInFlightFetch } from './shared-fetch.ts';
import { resolveEndpoint, webSocketUrl, type SubgraphUrls } from '../engine/subgraph-endpoints.ts';
import { parseSupergraph } from '../engine/supergraph.ts';

export interface SupergraphSchema {
  schema: GraphQLSchema;
  /** Each subgraph's name and the URL it is reached at. */
  endpoints: ReadonlyMap<string, string>;
  /** Closes the WebSocket connections to subgraphs. */
  dispose(): Promise<void>;
}

/**
 * The executable supergraph: queries and mutations go to subgraphs over HTTP, subscriptions over
 * graphql-ws (the federation executor's default, SSE, is not something Apollo Server speaks).
 */
export function createSupergraphSchema({
  supergraphSdl,
  subgraphUrls = {},
  tokens,
}: {
  supergraphSdl: string;
  subgraphUrls?: SubgraphUrls;
  /** Signs the caller onto every subgraph request (SUBGRAPH_SECRET). */
  tokens: PrincipalTokens;
}): SupergraphSchema {
  const endpoints = new Map<string, string>();
  const subgraphFetch = sharedInFlightFetch();
  const wsExecutors: { [Symbol.asyncDispose](): PromiseLike<void> | void }[] = [];
  const schema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: parseSupergraph(supergraphSdl),
    // Root fields and entity fetches of one operation bound for the same subgraph are merged into one
    // request; otherwise each travels alone, with its own subgraph context and DataLoaders.
    batch: true,
    httpExecutorOpts: ({ name, endpoint }) => {
      const resolved = resolveEndpoint(name, endpoint, subgraphUrls);
      endpoints.set(name.toLowerCase(), resolved);
      return {
        endpoint: resolved,
        // Reads what each subgraph served stale into the operation's context, for `extensions.stale`.
        fetch: async (url: string, init?: RequestInit, context?: unknown) => {
          const response = await subgraphFetch(url, init);
          const stale = parseStaleHeader(response.headers.get(STALE_HEADER));
          if (stale.length > 0 && isGatewayContext(context)) context.stale?.push(...stale);
          return response;
        },
        // The caller, signed; the request id (so one operation can be followed through the logs); and the
        // client's operation name, for the subgraphs' audit records.
        headers: (request): Record<string, string> => {
          const operationName = request?.info?.operation.name?.value;
          return {
            ...(operationName ? { [OPERATION_NAME_HEADER]: operationName } : {}),
            ...(isGatewayContext(request?.context)
              ? { [REQUEST_ID_HEADER]: request.context.requestId, [PRINCIPAL_HEADER]: tokens.forCaller(request.context.caller) }
              : { [PRINCIPAL_HEADER]: tokens.forCaller(ANONYMOUS_CALLER) }),
          };
        },
      };
    },
    onSubschemaConfig(config) {
      const httpExecutor = config.executor;
      // One shared connection per subgraph: it must never carry a user's identity (see stack notes).
      const wsExecutor = buildGraphQLWSExecutor({
        // The endpoint the HTTP executor was given (overrides applied), not the one written in the supergraph.
        url: webSocketUrl(endpoints.get(config.name.toLowerCase()) ?? resolveEndpoint(config.name, config.endpoint, subgraphUrls)),
        lazy: true,
        lazyCloseTimeout: 1000,
        connectionParams: () => ({ [GATEWAY_CONNECTION_PARAM]: tokens.forGateway() }),
      });
      wsExecutors.push(wsExecutor);
      const executor: Executor = (request) => {
        const operation = request.operationType ?? getOperationAST(request.document, request.operationName)?.operation;
        if (operation !== 'subscription') return httpExecutor(request);
        const context = isGatewayContext(request.context) ? request.context : undefined;
        const perOperation = { [PRINCIPAL_EXTENSION]: tokens.forCaller(context?.caller ?? ANONYMOUS_CALLER), ...(context ? { requestId: context.requestId } : {}) };
        return wsExecutor({ ...request, extensions: { ...request.extensions, ...perOperation } });
      };
      config.executor = executor;
    },
  });
  return {
    schema,
    endpoints,
    async dispose() {
      await Promise.all(wsExecutors.map((executor) => executor[Symbol.asyncDispose]()));
    },
  };
}
