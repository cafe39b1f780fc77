import { AsyncLocalStorage } from 'node:async_hooks';
import type { StaleServe } from '../cache/provider-cache.ts';

/** Collects, per operation, the provider request ids of its upstream calls and the cache entries it served stale. */
export interface ProviderRequestLog {
  /** Runs `fn` with a fresh collection; every record() made in its async continuation lands there. */
  run<T>(fn: () => T): T;
  /** Called by SDK hooks on every upstream response. No-op outside run(). */
  record(requestId: string | null | undefined): void;
  /** The ids recorded so far in the current run (a copy), [] outside run(). */
  current(): string[];
  /** Called by the provider cache when it served an entry past its TTL because the provider failed. */
  recordStale(serve: StaleServe): void;
  /** What was served stale in the current run, [] outside run(). */
  stale(): StaleServe[];
}

/** An operation that makes more upstream calls than this is listed by its first ones; the rest are dropped. */
export const MAX_PROVIDER_REQUEST_IDS = 50;

/** Provider ids are short tokens (`req_…`, `C0DE:1A2B:…`, 16 hex); anything else is not an id worth keeping. */
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Why AsyncLocalStorage: each provider's SDK client is built once and shared by every request the
 * subgraph serves, and the SDK's hooks (stripe-node's `response` event, the fetch given to Octokit, a
 * twitter-api-v2 plugin, an AWS middleware) are the only code that sees the response headers carrying the
 * provider's request id. Those hooks have no access to the GraphQL context, so the operation they serve is
 * found through the async continuation they run in: the collection opened by `run()` around the operation.
 */
export function createProviderRequestLog(): ProviderRequestLog {
  const storage = new AsyncLocalStorage<{ ids: string[]; stale: StaleServe[] }>();
  return {
    run: (fn) => storage.run({ ids: [], stale: [] }, fn),
    record(requestId) {
      const ids = storage.getStore()?.ids;
      if (!ids || typeof requestId !== 'string') return;
      const id = requestId.trim();
      // Each id is listed once, however many hooks report it.
      if (!REQUEST_ID.test(id) || ids.length >= MAX_PROVIDER_REQUEST_IDS || ids.includes(id)) return;
      ids.push(id);
    },
    current: () => [...(storage.getStore()?.ids ?? [])],
    recordStale(serve) {
      const stale = storage.getStore()?.stale;
      if (stale && stale.length < MAX_PROVIDER_REQUEST_IDS && !stale.some((s) => s.kind === serve.kind && s.id === serve.id)) stale.push(serve);
    },
    stale: () => [...(storage.getStore()?.stale ?? [])],
  };
}
