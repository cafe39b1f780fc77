import { createRequire } from 'node:module';
import type { Dispatcher, Pool as UndiciPool } from 'undici';
import { STALE_HEADER } from '../../kit/stale-plugin.ts';
import { SubgraphTimeoutError } from './subgraph-request.ts';

/** A subgraph's answer as it came: status, the stale-entries header, the body text. */
export interface RawAnswer {
  readonly status: number;
  readonly stale: string | null;
  readonly body: string;
}

export interface HttpPools {
  /** POSTs `body` to `url`; the whole exchange is bounded by `timeoutMs` (a SubgraphTimeoutError after it). */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<RawAnswer>;
  close(): Promise<void>;
}

// Library boundary: undici's Pool from its own module, not from the package's index, whose import makes
// undici's Agent the process-wide dispatcher of Node's built-in fetch, which the provider SDKs use (a test
// checks that it stays unset). The version is pinned exactly; the types are the package's own.
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js') as typeof UndiciPool;

/**
 * Keep-alive connection pools, one per origin (undici: about a third less CPU per subgraph request than
 * node:http's client, whose streams and agent the gateway does not need for one JSON body each way).
 */
export function createHttpPools({ connections = 256 }: { connections?: number } = {}): HttpPools {
  const pools = new Map<string, UndiciPool>();
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  };
  // URLs come from the supergraph: parsed once each, not per request.
  const targets = new Map<string, { readonly origin: string; readonly path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      targets.set(url, target);
    }
    return target;
  };

  return {
    post(url, headers, body, timeoutMs) {
      const { origin, path } = targetOf(url);
      return new Promise<RawAnswer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let status = 0;
        let stale: string | null = null;
        let controller: Dispatcher.DispatchController | undefined;
        let timedOut: SubgraphTimeoutError | undefined;
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          outcome();
        };
        // The whole exchange, not only idle time: a subgraph that trickles bytes is as stuck as a silent one.
        const timer = setTimeout(() => {
          const timeout = (timedOut = new SubgraphTimeoutError(`subgraph did not answer within ${timeoutMs} ms`));
          settle(() => reject(timeout));
          controller?.abort(timeout);
        }, timeoutMs);
        const handler: Dispatcher.DispatchHandler = {
          onRequestStart(started) {
            controller = started;
            // Still queued for a connection when the time ran out.
            if (timedOut) started.abort(timedOut);
          },
          onResponseStart(_controller, statusCode, responseHeaders) {
            status = statusCode;
            const value = responseHeaders[STALE_HEADER];
            stale = typeof value === 'string' ? value : null;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            settle(() => resolve({ status, stale, body: Buffer.concat(chunks).toString('utf8') }));
          },
          onResponseError(_controller, error) {
            settle(() => reject(error));
          },
        };
        poolFor(origin).dispatch({ origin, path, method: 'POST', headers, body }, handler);
      });
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.destroy()));
      pools.clear();
    },
  };
}
