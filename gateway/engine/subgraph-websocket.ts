import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_CONNECTION_PARAM, PRINCIPAL_EXTENSION, type PrincipalTokens } from '../../kit/access/principal-token.ts';
import { webSocketUrl } from './subgraph-endpoints.ts';
import type { SubgraphRequest, SubgraphResponse } from './subgraph-request.ts';

export interface SubgraphStreams {
  /** The subscription's events, as the subgraph sends them; ends when the subgraph completes it. */
  subscribe(serviceName: string, request: SubgraphRequest): AsyncIterableIterator<SubgraphResponse>;
  close(): Promise<void>;
}

/**
 * Subscriptions to subgraphs over graphql-ws: one connection per subgraph, opened on first use and closed a
 * second after its last subscription ends. The connection proves only that it is the gateway; it never
 * carries a user's identity (it is shared by every user's subscriptions). Each subscription carries its own
 * caller, signed, and its request id, in the `subscribe` message's extensions.
 */
export function createSubgraphStreams({ endpoints, tokens }: { endpoints: ReadonlyMap<string, string>; tokens: PrincipalTokens }): SubgraphStreams {
  const clients = new Map<string, Client>();
  const clientFor = (serviceName: string): Client => {
    let client = clients.get(serviceName);
    if (client) return client;
    const url = endpoints.get(serviceName);
    if (!url) throw new Error(`no endpoint for subgraph ${serviceName}`);
    client = createClient({
      url: webSocketUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: 1000,
      retryAttempts: 0,
      connectionParams: () => ({ [GATEWAY_CONNECTION_PARAM]: tokens.forGateway() }),
    });
    clients.set(serviceName, client);
    return client;
  };
  return {
    subscribe(serviceName, { query, operationName, variables, context }) {
      return clientFor(serviceName).iterate({
        query,
        ...(operationName ? { operationName } : {}),
        ...(variables ? { variables: variables as Record<string, unknown> } : {}),
        extensions: { [PRINCIPAL_EXTENSION]: tokens.forCaller(context.caller), requestId: context.requestId },
      }) as AsyncIterableIterator<SubgraphResponse>;
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.dispose()));
      clients.clear();
    },
  };
}
