import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_CONNECTION_PARAM, PRINCIPAL_EXTENSION, type PrincipalTokens } from '../../kit/access/principal-token.ts';
import { forwardedKey } from '../execute/forwarded-headers.ts';
import { webSocketUrl } from './subgraph-endpoints.ts';
import { SubgraphCircuitOpenError, type SubgraphBreakers } from './subgraph-breakers.ts';
import type { SubgraphRequest, SubgraphResponse } from './subgraph-request.ts';

export interface SubgraphStreams {
  /** The subscription's events, as the subgraph sends them; ends when the subgraph completes it. */
  subscribe(serviceName: string, request: SubgraphRequest): AsyncIterableIterator<SubgraphResponse>;
  close(): Promise<void>;
}

/** How long a connection stays open after its last subscription ends, for the next one to reuse. */
const IDLE_CLOSE_MS = 1000;

/**
 * Subscriptions to subgraphs over graphql-ws: one connection per subgraph, opened on first use and closed a
 * second after its last subscription ends. The connection proves only that it is the gateway; it never
 * carries a user's identity (it is shared by every user's subscriptions). Each subscription carries its own
 * caller, signed, and its request id, in the `subscribe` message's extensions.
 *
 * Forwarded client headers (GATEWAY_FORWARD_HEADERS) can only travel with a connection (its upgrade
 * request's headers, and its `connectionParams`, where graphql-ws servers read a browser's): subscriptions
 * that forward headers get a connection per subgraph and set of forwarded values, shared only by
 * subscriptions forwarding the same values, and forgotten once it closes (so distinct values, per-user
 * tokens for one, never pile up).
 */
export function createSubgraphStreams({
  endpoints,
  tokens,
  timeoutMs = 30_000,
  breakers,
}: {
  endpoints: ReadonlyMap<string, string>;
  tokens: PrincipalTokens;
  /**
   * How long the WebSocket handshake, and then the subgraph's `connection_ack`, may take (the subgraph
   * request timeout): a subgraph that accepts the connection and never answers fails the subscriptions
   * waiting on it (SUBGRAPH_UNAVAILABLE) instead of holding them for ever.
   */
  timeoutMs?: number;
  /**
   * The subgraph breakers the gateway's HTTP requests go through (subgraph-breakers.ts): each connection
   * counts as a request, and while a subgraph is skipped its subscriptions fail at once.
   */
  breakers?: SubgraphBreakers | undefined;
}): SubgraphStreams {
  const clients = new Map<string, Client>();
  const clientFor = (serviceName: string, forwarded: Readonly<Record<string, string>> | undefined): Client => {
    const key = `${serviceName}\u0000${forwardedKey(forwarded)}`;
    let client = clients.get(key);
    if (client) return client;
    const url = endpoints.get(serviceName);
    if (!url) throw new Error(`no endpoint for subgraph ${serviceName}`);
    const created = createClient({
      url: webSocketUrl(url),
      webSocketImpl: withOptions({ handshakeTimeout: timeoutMs, ...(forwarded ? { headers: { ...forwarded } } : {}) }),
      connectionAckWaitTimeout: timeoutMs,
      lazy: true,
      lazyCloseTimeout: IDLE_CLOSE_MS,
      retryAttempts: 0,
      // The gateway's own parameter last: a forwarded header cannot stand in for it.
      connectionParams: () => ({ ...forwarded, [GATEWAY_CONNECTION_PARAM]: tokens.forGateway() }),
    });
    if (breakers) created.on('connecting', () => breakers.attempt(serviceName, connection(created)));
    // Not disposed: a subscription that raced the close still reconnects it; unreferenced, it is collected.
    if (forwarded) {
      created.on('closed', () => {
        if (clients.get(key) === created) clients.delete(key);
      });
    }
    clients.set(key, created);
    return created;
  };
  return {
    subscribe(serviceName, { query, operationName, variables, context }) {
      if (breakers?.isOpen(serviceName)) return refused(new SubgraphCircuitOpenError(`subgraph ${serviceName} is skipped after requests in a row without an answer`));
      return clientFor(serviceName, context.forwardedHeaders).iterate({
        query,
        ...(operationName ? { operationName } : {}),
        ...(variables ? { variables: variables as Record<string, unknown> } : {}),
        extensions: { [PRINCIPAL_EXTENSION]: tokens.forCaller(context.caller), requestId: context.requestId },
      }) as AsyncIterableIterator<SubgraphResponse>;
    },
    async close() {
      const open = [...clients.values()];
      clients.clear();
      await Promise.all(open.map((client) => client.dispose()));
    },
  };
}

/** The `ws` client with these options (the upgrade request's headers, its handshake timeout), as graphql-ws constructs it (url, protocols). */
function withOptions(options: WebSocket.ClientOptions) {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, options);
    }
  };
}

/** Settles with the connection being made: resolves once the subgraph acknowledges it, rejects if it closes or fails first. */
function connection(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    const listeners = [
      client.on('connected', () => settle(resolve)),
      client.on('closed', (event) => settle(() => reject(event))),
      client.on('error', (error) => settle(() => reject(error))),
    ];
    const settle = (done: () => void) => {
      for (const off of listeners) off();
      done();
    };
  });
}

/** A stream that fails at its first read (the subscription then ends with the error: see eventsOrFailure). */
function refused(error: Error): AsyncIterableIterator<SubgraphResponse> {
  return (async function* failing(): AsyncGenerator<SubgraphResponse> {
    throw error;
  })();
}
