import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the gateway and its subgraphs. Every `createMetrics()` has its own Registry (never
 * prom-client's global one), so tests and several stacks in one process never share or collide on a metric.
 */

export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
export type CacheLookupResult = 'hit' | 'miss' | 'stale';
export type BreakerStateName = 'closed' | 'half-open' | 'open';
export type WebhookResult = 'received' | 'rejected' | 'deduplicated' | 'processed' | 'failed';

/** Seconds, from 1 ms to 10 s. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerStateName, number>> = { closed: 0, 'half-open': 1, open: 2 };
/** The label of every operation name beyond the first `maxOperationNames` seen. */
export const OTHER_OPERATION = 'other';
export const ANONYMOUS_OPERATION = 'anonymous';
/** The outcome label of every error code beyond the first ones seen (codes come from subgraphs too). */
export const OTHER_OUTCOME = 'OTHER';
const MAX_OUTCOMES = 50;
const MAX_LABEL_LENGTH = 100;

export interface MetricsOptions {
  /** Also collect Node's default process metrics (CPU, memory, event loop lag, GC) into this registry. */
  collectDefault?: boolean | undefined;
  /** Distinct operation-name label values kept; later names count as `other`. Default 200. */
  maxOperationNames?: number | undefined;
}

export interface Metrics {
  readonly registry: Registry;
  /** fgw_operations_total{operation,type,outcome}: outcome `ok`, or the first error's code. */
  readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  /** fgw_operation_duration_seconds{operation,type} */
  readonly operationDuration: Histogram<'operation' | 'type'>;
  /** fgw_upstream_calls_total{provider,operation,status} */
  readonly upstreamCalls: Counter<'provider' | 'operation' | 'status'>;
  /** fgw_upstream_duration_seconds{provider,operation} */
  readonly upstreamDuration: Histogram<'provider' | 'operation'>;
  /** fgw_cache_lookups_total{provider,kind,result}: result hit | miss | stale. */
  readonly cacheLookups: Counter<'provider' | 'kind' | 'result'>;
  /** fgw_breaker_state{provider}: 0 closed, 1 half-open, 2 open. */
  readonly breakerState: Gauge<'provider'>;
  /** fgw_breaker_transitions_total{provider,to} */
  readonly breakerTransitions: Counter<'provider' | 'to'>;
  /** fgw_subgraph_breaker_state{subgraph}: the gateway's breaker per subgraph, 0 closed, 1 half-open, 2 open. */
  readonly subgraphBreakerState: Gauge<'subgraph'>;
  /** fgw_provider_quota_remaining{provider,resource} */
  readonly quotaRemaining: Gauge<'provider' | 'resource'>;
  /** fgw_webhooks_total{provider,result}: result received | rejected | deduplicated | processed | failed. */
  readonly webhooks: Counter<'provider' | 'result'>;
  /** fgw_open_subscriptions */
  readonly openSubscriptions: Gauge;
  /** fgw_response_cache_total{event}: event hit | miss (authenticated queries) | purge. */
  readonly responseCache: Counter<'event'>;

  /** The bounded label for a client-chosen operation name: the name, `anonymous`, or `other` past the cap. */
  operationLabel(name: string | null | undefined): string;
  /** The bounded outcome label: `ok` without a code, else the code (or `OTHER` past the cap). */
  outcomeLabel(code: string | null | undefined): string;
  /** One finished operation: counted, and its duration observed when known. */
  recordOperation(operation: { name: string | null | undefined; type: OperationType; errorCode?: string | null | undefined; seconds?: number | undefined }): void;
  /** Starts timing one provider call; the returned function (first call only) counts it with its status. */
  timeUpstream(provider: string, operation: string): (status: string | number) => void;
  recordCacheLookup(provider: string, kind: string, result: CacheLookupResult): void;
  /** Sets the breaker gauge, and counts a transition when the state changed. */
  setBreakerState(provider: string, state: BreakerStateName): void;
  /** Follows a breaker: its current state now, every change later (kit/resilience.ts's ProviderPolicy fits). */
  watchBreaker(provider: string, breaker: { state(): BreakerStateName; onStateChange(listener: (state: BreakerStateName) => void): void }): void;
  setSubgraphBreakerState(subgraph: string, state: BreakerStateName): void;
  setQuotaRemaining(provider: string, resource: string, remaining: number): void;
  recordWebhook(provider: string, result: WebhookResult): void;
  recordResponseCache(event: ResponseCacheEvent): void;
}

export type ResponseCacheEvent = 'hit' | 'miss' | 'purge';

/** Keeps the first `limit` distinct values; any later one becomes `overflow`. */
export function boundedLabel(limit: number, overflow: string): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = value.length > MAX_LABEL_LENGTH ? value.slice(0, MAX_LABEL_LENGTH) : value;
    if (seen.has(label)) return label;
    if (seen.size >= limit) return overflow;
    seen.add(label);
    return label;
  };
}

export function createMetrics({ collectDefault = false, maxOperationNames = 200 }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (collectDefault) collectDefaultMetrics({ register: registry });

  const operations = new Counter({
    name: 'fgw_operations_total',
    help: 'GraphQL operations served by the gateway, by outcome (ok, or the code of the first error).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });
  const operationDuration = new Histogram({
    name: 'fgw_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation, from request to response.',
    labelNames: ['operation', 'type'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamCalls = new Counter({
    name: 'fgw_upstream_calls_total',
    help: 'Calls to external providers, by status.',
    labelNames: ['provider', 'operation', 'status'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'fgw_upstream_duration_seconds',
    help: 'Duration of calls to external providers.',
    labelNames: ['provider', 'operation'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const cacheLookups = new Counter({
    name: 'fgw_cache_lookups_total',
    help: 'Provider cache lookups: hit, miss, or stale (served past its TTL).',
    labelNames: ['provider', 'kind', 'result'] as const,
    registers,
  });
  const breakerState = new Gauge({
    name: 'fgw_breaker_state',
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'] as const,
    registers,
  });
  const breakerTransitions = new Counter({
    name: 'fgw_breaker_transitions_total',
    help: 'Circuit breaker state changes per provider, by the state entered.',
    labelNames: ['provider', 'to'] as const,
    registers,
  });
  const subgraphBreakerState = new Gauge({
    name: 'fgw_subgraph_breaker_state',
    help: "The gateway's circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open (its fields fail without a call).",
    labelNames: ['subgraph'] as const,
    registers,
  });
  const quotaRemaining = new Gauge({
    name: 'fgw_provider_quota_remaining',
    help: "Calls left in a provider's rate-limit window, as its last answer said.",
    labelNames: ['provider', 'resource'] as const,
    registers,
  });
  const webhooks = new Counter({
    name: 'fgw_webhooks_total',
    help: 'Provider webhooks: received, rejected (bad signature or payload), deduplicated, processed, failed.',
    labelNames: ['provider', 'result'] as const,
    registers,
  });
  const openSubscriptions = new Gauge({
    name: 'fgw_open_subscriptions',
    help: 'GraphQL subscriptions currently streaming over WebSocket.',
    registers,
  });
  const responseCache = new Counter({
    name: 'fgw_response_cache_total',
    help: "The gateway's response cache: authenticated queries answered from it (hit) or computed (miss), and purges.",
    labelNames: ['event'] as const,
    registers,
  });

  const operationName = boundedLabel(maxOperationNames, OTHER_OPERATION);
  const outcome = boundedLabel(MAX_OUTCOMES, OTHER_OUTCOME);
  const breakerStates = new Map<string, BreakerStateName>();

  const operationLabel = (name: string | null | undefined) => (name ? operationName(name) : ANONYMOUS_OPERATION);
  const outcomeLabel = (code: string | null | undefined) => (code ? outcome(code) : 'ok');

  function setBreakerState(provider: string, state: BreakerStateName): void {
    breakerState.set({ provider }, BREAKER_STATE_VALUES[state]);
    const previous = breakerStates.get(provider);
    breakerStates.set(provider, state);
    if (previous !== undefined && previous !== state) breakerTransitions.inc({ provider, to: state });
  }

  return {
    registry,
    operations,
    operationDuration,
    upstreamCalls,
    upstreamDuration,
    cacheLookups,
    breakerState,
    breakerTransitions,
    subgraphBreakerState,
    quotaRemaining,
    webhooks,
    openSubscriptions,
    responseCache,
    operationLabel,
    outcomeLabel,
    recordOperation({ name, type, errorCode, seconds }) {
      const operation = operationLabel(name);
      operations.inc({ operation, type, outcome: outcomeLabel(errorCode) });
      if (seconds !== undefined) operationDuration.observe({ operation, type }, seconds);
    },
    timeUpstream(provider, operation) {
      const started = process.hrtime.bigint();
      let stopped = false;
      return (status) => {
        if (stopped) return;
        stopped = true;
        upstreamDuration.observe({ provider, operation }, Number(process.hrtime.bigint() - started) / 1e9);
        upstreamCalls.inc({ provider, operation, status: String(status) });
      };
    },
    recordCacheLookup(provider, kind, result) {
      cacheLookups.inc({ provider, kind, result });
    },
    setBreakerState,
    watchBreaker(provider, breaker) {
      setBreakerState(provider, breaker.state());
      breaker.onStateChange((state) => setBreakerState(provider, state));
    },
    setSubgraphBreakerState(subgraph, state) {
      subgraphBreakerState.set({ subgraph }, BREAKER_STATE_VALUES[state]);
    },
    setQuotaRemaining(provider, resource, remaining) {
      quotaRemaining.set({ provider, resource }, remaining);
    },
    recordWebhook(provider, result) {
      webhooks.inc({ provider, result });
    },
    recordResponseCache(event) {
      responseCache.inc({ event });
    },
  };
}
