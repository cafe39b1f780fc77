/**
 * Where a cold query's time goes, from this process's HTTP clients: Node's diagnostics channels say when
 * each provider request starts and when its answer has been read, both for node:http (twitter-api-v2) and
 * for fetch (the Stripe SDK, Octokit). bench:providers runs the app in its own process, so the channels
 * see every SDK call a query makes; the stages between them are the gateway's and its subgraphs' work.
 */
import diagnostics from 'node:diagnostics_channel';

export interface ProviderCall {
  /** The request's path (with its query string). */
  path: string;
  startedAt: number;
  /** When the whole answer had been read; undefined while it has not. */
  answeredAt?: number;
}

interface HttpClientMessage {
  request: { path: string; host?: string };
}
interface UndiciMessage {
  request: { origin: string; path: string };
}

/** Records provider calls (to the given origins only) between start() and stop(). */
export function traceProviderCalls(origins: readonly string[]) {
  let calls: ProviderCall[] | undefined;
  const open = new Map<object, ProviderCall>();
  const hosts = new Set(origins.map((origin) => new URL(origin).host));
  const begin = (key: object, path: string) => {
    if (!calls) return;
    const call = { path, startedAt: performance.now() };
    calls.push(call);
    open.set(key, call);
  };
  const end = (key: object) => {
    const call = open.get(key);
    if (!call) return;
    call.answeredAt = performance.now();
    open.delete(key);
  };
  const onHttpStart = (message: unknown) => {
    const { request } = message as HttpClientMessage & { request: { getHeader(name: string): unknown } };
    const host = String(request.getHeader('host') ?? '');
    if (hosts.has(host)) begin(request, request.path);
  };
  const onHttpFinish = (message: unknown) => end((message as HttpClientMessage).request);
  const onUndiciCreate = (message: unknown) => {
    const { request } = message as UndiciMessage;
    if (hosts.has(new URL(request.origin).host)) begin(request, request.path);
  };
  const onUndiciTrailers = (message: unknown) => end((message as UndiciMessage).request);
  const channels: [string, (message: unknown) => void][] = [
    ['http.client.request.start', onHttpStart],
    ['http.client.response.finish', onHttpFinish],
    ['undici:request:create', onUndiciCreate],
    ['undici:request:trailers', onUndiciTrailers],
  ];
  for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  return {
    start() {
      calls = [];
      open.clear();
    },
    stop(): ProviderCall[] {
      const recorded = calls ?? [];
      calls = undefined;
      return recorded;
    },
    close() {
      for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
    },
  };
}

/** One cold query's stages, in ms; undefined when a call the query needs is missing from the trace. */
export function coldQueryStages(calls: readonly ProviderCall[], queryStartedAt: number, queryAnsweredAt: number): Record<string, number> | undefined {
  const find = (pattern: RegExp) => calls.filter((call) => pattern.test(call.path));
  const [customers] = find(/^\/v1\/customers/);
  const [lookup] = find(/^\/2\/users\/by\b/);
  const timelines = find(/^\/2\/users\/\d+\/tweets/);
  if (!customers?.answeredAt || !lookup?.answeredAt || timelines.length === 0 || timelines.some((call) => !call.answeredAt)) return undefined;
  const firstTimeline = Math.min(...timelines.map((call) => call.startedAt));
  const lastAnswer = Math.max(...timelines.map((call) => call.answeredAt!));
  return {
    'gateway and Stripe subgraph, before the customers call': customers.startedAt - queryStartedAt,
    'Stripe customers call': customers.answeredAt - customers.startedAt,
    'customers answered → X users lookup sent': lookup.startedAt - customers.answeredAt,
    'X users lookup call': lookup.answeredAt - lookup.startedAt,
    'lookup answered → first timeline sent': firstTimeline - lookup.answeredAt,
    'timelines, first sent → last answered': lastAnswer - firstTimeline,
    'last timeline answered → answer received': queryAnsweredAt - lastAnswer,
  };
}
