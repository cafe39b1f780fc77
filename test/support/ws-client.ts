import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export type WsResult = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** A graphql-ws client as a mobile app would open it, with an optional bearer token and connection params. */
export function wsClient(url: string, { token, connectionParams }: { token?: string; connectionParams?: Record<string, unknown> } = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...connectionParams },
  });
}

/** Every result of one operation; rejects with what the server refused it with (errors, or a close event). */
export function collect(client: Client, query: string, extensions?: Record<string, unknown>): Promise<WsResult[]> {
  return new Promise((resolve, reject) => {
    const results: WsResult[] = [];
    client.subscribe({ query, ...(extensions ? { extensions } : {}) }, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
  });
}

/** What an operation was refused with, or undefined when it ran. */
export function refusal(client: Client, query: string, extensions?: Record<string, unknown>): Promise<unknown> {
  return collect(client, query, extensions).then(
    () => undefined,
    (reason: unknown) => reason,
  );
}
