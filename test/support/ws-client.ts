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

/** A running subscription: what it received so far, a bounded wait for more, and how it ended. */
export interface LiveSubscription {
  readonly results: WsResult[];
  readonly ended: Promise<unknown>;
  /** Resolves once `count` results arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<WsResult[]>;
  stop(): void;
}

export function subscribe(client: Client, query: string, variables?: Record<string, unknown>): LiveSubscription {
  const results: WsResult[] = [];
  let finish: (reason: unknown) => void = () => {};
  const ended = new Promise<unknown>((resolve) => (finish = resolve));
  const stop = client.subscribe({ query, ...(variables ? { variables } : {}) }, { next: (r) => results.push(r), error: finish, complete: () => finish(undefined) });
  return {
    results,
    ended,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} results, got ${results.length}: ${JSON.stringify(results)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return results;
    },
    stop,
  };
}

/** Lets in-flight events arrive (for asserting that none did). */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
