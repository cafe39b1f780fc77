import { GraphQLError } from 'graphql';
import type { CallBudget } from './call-budget.ts';
import type { FailureClass, ProviderPolicy } from './resilience.ts';

/** An answer the provider gave but the policy must see as a failure (5xx, 429), kept to hand back as is. */
class FailedResponse extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super(`provider answered ${response.status}`);
    this.response = response;
  }
}

const retryAfterMs = (headers: Headers): number | undefined => {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(value) - Date.now()) || undefined;
};

/** How a fetch-level policy sees failures: 5xx and network errors are outages, 429 waits Retry-After. */
export function classifyFetchFailure(error: unknown): FailureClass {
  if (error instanceof FailedResponse) {
    return error.response.status === 429 ? { kind: 'rate-limited', retryAfterMs: retryAfterMs(error.response.headers) } : { kind: 'outage' };
  }
  if (error instanceof GraphQLError) return { kind: 'caller' };
  return { kind: 'outage' }; // the request never got an answer: connection refused, reset, aborted
}

/**
 * A `fetch` for an SDK that accepts one (Octokit, stripe-node): every attempt runs under the provider's
 * policy; 5xx and 429 answers count as failures (and are retried when the policy retries) but the SDK
 * still receives the provider's own last answer. When the policy refuses (breaker open, bulkhead full,
 * timeout), `refused` decides what the SDK sees: by default the policy's error is thrown. With a `budget`,
 * an attempt gets only what is left of its call's budget (a retry after the budget is spent is refused).
 */
export function policyFetch({
  policy,
  idempotent,
  operation = () => 'call',
  refused = (error) => Promise.reject(error),
  baseFetch = fetch,
  budget,
}: {
  policy: ProviderPolicy;
  idempotent: (init: RequestInit | undefined) => boolean;
  /** The metrics label of a call (an endpoint or operation name, never an id). */
  operation?: (input: string | URL | Request, init: RequestInit | undefined) => string;
  refused?: (error: GraphQLError) => Promise<Response>;
  baseFetch?: typeof fetch;
  budget?: CallBudget;
}): typeof fetch {
  return async (input, init) => {
    try {
      return await policy.execute(
        async (signal) => {
          const response = await baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
          if (response.status >= 500 || response.status === 429) throw new FailedResponse(response);
          return response;
        },
        { idempotent: idempotent(init), operation: operation(input, init), deadlineMs: budget?.remainingMs() },
      );
    } catch (error) {
      if (error instanceof FailedResponse) return error.response;
      if (error instanceof GraphQLError) return refused(error);
      throw error;
    }
  };
}

/**
 * Our own error inside whatever an SDK wrapped it in (Octokit wraps a failed fetch in a RequestError
 * whose `cause` is what fetch threw): the policy's PROVIDER_TIMEOUT must reach the client as such.
 */
export function ownError(error: unknown): GraphQLError | undefined {
  if (error instanceof GraphQLError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof GraphQLError ? cause : undefined;
}
