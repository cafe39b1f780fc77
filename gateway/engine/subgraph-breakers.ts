import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import type { BreakerStateName } from '../../kit/metrics.ts';
import type { RawAnswer } from './http-pools.ts';

export interface SubgraphBreakerSettings {
  /** Requests in a row that got no answer (unreachable, timed out, a proxy's 502/503/504) before the subgraph is skipped; 0: never skipped. */
  readonly failures: number;
  /** How long a skipped subgraph is not called; then one request goes through to try it again. */
  readonly halfOpenAfterMs: number;
}

/** Refused without calling: the subgraph's breaker is open. Its fields get SUBGRAPH_UNAVAILABLE, as if it had been called. */
export class SubgraphCircuitOpenError extends Error {
  override readonly name = 'SubgraphCircuitOpenError';
}

export interface SubgraphBreakers {
  /** One request to the named subgraph, through its breaker: rejected at once (SubgraphCircuitOpenError) while it is open. */
  run(serviceName: string, send: () => Promise<RawAnswer>): Promise<RawAnswer>;
  /** The subgraphs of the supergraph being served: each gets its breaker (and its gauge) before its first request. */
  track(serviceNames: Iterable<string>): void;
  /** Whether the named subgraph is being skipped (its breaker open): a new subscription to it fails at once, without connecting. */
  isOpen(serviceName: string): boolean;
  /**
   * Counts a connection to the named subgraph (a subscription's WebSocket) as its requests are counted: an
   * answer when `connected` resolves, none when it rejects (refused, or no handshake or `connection_ack`
   * within the subgraph timeout).
   */
  attempt(serviceName: string, connected: Promise<unknown>): void;
}

export interface SubgraphBreakerDeps {
  readonly logger: Logger;
  /** Told each time a subgraph's breaker changes state (the metrics gauge follows it). */
  readonly onStateChange?: ((serviceName: string, state: BreakerStateName) => void) | undefined;
}

/** What a load balancer or proxy in front of a subgraph answers when the subgraph behind it is down. */
const PROXY_UNAVAILABLE: ReadonlySet<number> = new Set([502, 503, 504]);

const STATE_NAMES: Readonly<Record<CircuitState, BreakerStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/**
 * A circuit breaker per subgraph, around the request itself (shared requests count once). Without one, a
 * subgraph that hangs costs every operation needing it the whole subgraph timeout, and keeps a request of
 * each in flight to it. After `failures` requests in a row without an answer, the subgraph is not called
 * for `halfOpenAfterMs`: its fields fail at once, the rest of each answer stands; then a single request tries
 * it, and its outcome closes the breaker or opens it again. A GraphQL answer, errors included, is an answer:
 * the subgraph is up.
 */
export function createSubgraphBreakers(settings: SubgraphBreakerSettings, { logger, onStateChange }: SubgraphBreakerDeps): SubgraphBreakers {
  if (settings.failures <= 0) return { run: (_serviceName, send) => send(), track: () => {}, isOpen: () => false, attempt: () => {} };
  const breakers = new Map<string, CircuitBreakerPolicy>();
  const breakerOf = (serviceName: string) => {
    let breaker = breakers.get(serviceName);
    if (!breaker) {
      breaker = circuitBreaker(
        handleAll.orWhenResult((answer) => PROXY_UNAVAILABLE.has((answer as RawAnswer).status)),
        { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) },
      );
      breaker.onStateChange((state) => {
        const name = STATE_NAMES[state];
        onStateChange?.(serviceName, name);
        if (name === 'open') logger.warn({ subgraph: serviceName, failures: settings.failures, retryInMs: settings.halfOpenAfterMs }, 'subgraph breaker opened: its fields fail at once until it is tried again');
        else if (name === 'closed') logger.info({ subgraph: serviceName }, 'subgraph breaker closed: the subgraph answers again');
      });
      breakers.set(serviceName, breaker);
      onStateChange?.(serviceName, 'closed');
    }
    return breaker;
  };
  return {
    run: (serviceName, send) =>
      breakerOf(serviceName)
        .execute(send)
        .catch((error: unknown) => {
          if (error instanceof BrokenCircuitError) throw new SubgraphCircuitOpenError(`subgraph ${serviceName} is skipped after ${settings.failures} requests in a row without an answer`);
          throw error;
        }),
    track(serviceNames) {
      for (const name of serviceNames) breakerOf(name);
    },
    isOpen(serviceName) {
      const { state } = breakerOf(serviceName);
      return state === CircuitState.Open || state === CircuitState.Isolated;
    },
    attempt(serviceName, connected) {
      // Its outcome is the subscription's to report; here it only moves the breaker (an open one refuses it: ignored).
      breakerOf(serviceName)
        .execute(() => connected)
        .catch(() => undefined);
    },
  };
}
