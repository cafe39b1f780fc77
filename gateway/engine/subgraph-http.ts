import { injectTraceHeaders, inSpan, SpanKind } from '../../kit/tracing.ts';
import { OPERATION_NAME_HEADER } from '../../kit/access/audit-plugin.ts';
import { PRINCIPAL_HEADER, type PrincipalTokens } from '../../kit/access/principal-token.ts';
import { REQUEST_ID_HEADER } from '../../kit/request-id.ts';
import { parseStaleHeader, STALE_HEADER } from '../../kit/stale-plugin.ts';
import type { InProcessCall } from '../../kit/in-process-call.ts';
import { createHttpPools, type RawAnswer } from './http-pools.ts';
import { cloneJson } from './merge.ts';
import { SubgraphTimeoutError, type SubgraphCall, type SubgraphRequest, type SubgraphResponse } from './subgraph-request.ts';
import type { SubgraphBreakers } from './subgraph-breakers.ts';
import { forwardedKey } from '../execute/forwarded-headers.ts';

/** A query in flight, shared by identical requests: its answer is parsed once and copied for each sharer but the last. */
interface SharedFetch {
  readonly answer: Promise<RawAnswer>;
  /** Sharers that have not taken their copy yet (final once the answer is in: it then leaves the in-flight map). */
  waiting: number;
  parsed?: { readonly response: SubgraphResponse } | { readonly failure: Error };
}

export interface SubgraphHttpOptions {
  /** Each subgraph's name (as the plan names it) and its GraphQL URL. */
  readonly endpoints: ReadonlyMap<string, string>;
  readonly tokens: PrincipalTokens;
  /** How long one subgraph request may take in all before it is abandoned and its fields fail (SUBGRAPH_UNAVAILABLE). */
  readonly timeoutMs?: number;
  /**
   * A subgraph served by this process (`npm start`), called without a socket; undefined: over HTTP.
   * Looked up on every request, so a subgraph restarted under the same name is found.
   */
  readonly inProcess?: ((serviceName: string) => InProcessCall | undefined) | undefined;
  /** A breaker per subgraph around each request (subgraph-breakers.ts); none: every request is sent. */
  readonly breakers?: SubgraphBreakers | undefined;
}

export interface SubgraphHttp {
  readonly call: SubgraphCall;
  /** Whether this subgraph is now served in process, without a socket. */
  readonly inProcess: (serviceName: string) => boolean;
  close(): Promise<void>;
}

/**
 * Queries and mutations to subgraphs over HTTP (undici keep-alive pools, one per subgraph origin), or without a
 * socket to subgraphs this process serves (the same headers and body, checked the same way). Every request
 * carries the caller signed with the subgraphs' shared secret, the request id and the client's operation
 * name. Identical queries in flight at the same moment (same subgraph, same body, same signed caller) are
 * sent once and their answer shared: under load many operations plan the same fetches. Never across
 * callers, never for mutations. Each sharer gets its own copy, since the engine merges answers in place: the
 * answer is parsed once and deep-copied for the others (cheaper than each parsing the text, as they did).
 */
export function createSubgraphHttp({ endpoints, tokens, timeoutMs = 30_000, inProcess, breakers }: SubgraphHttpOptions): SubgraphHttp {
  const pools = createHttpPools({ connections: 256 });
  const inFlight = new Map<string, SharedFetch>();

  const post = (url: string, headers: Record<string, string>, body: string) => pools.post(url, headers, body, timeoutMs);

  const callInProcess = (local: InProcessCall, headers: Record<string, string>, body: string): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new SubgraphTimeoutError(`subgraph did not answer within ${timeoutMs} ms`)), timeoutMs);
      local({ headers, body }).then(
        ({ status, headers: answerHeaders, body: text }) => {
          clearTimeout(timer);
          resolve({ status, stale: answerHeaders.get(STALE_HEADER) ?? null, body: text });
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });

  const call: SubgraphCall = (serviceName, subgraphRequest) =>
    inSpan('subgraph.fetch', { 'graphql.subgraph.name': serviceName, 'graphql.operation.type': subgraphRequest.operationKind }, () => fetchFrom(serviceName, subgraphRequest), SpanKind.CLIENT);

  const fetchFrom: SubgraphCall = async (serviceName, subgraphRequest) => {
    const url = endpoints.get(serviceName);
    if (!url) throw new Error(`no endpoint for subgraph ${serviceName}`);
    if (subgraphRequest.signal?.aborted) throw new SubgraphTimeoutError('the operation reached its deadline');
    const body = requestBody(subgraphRequest);
    const principal = tokens.forCaller(subgraphRequest.context.caller);
    // The fetch span's traceparent, so the subgraph's spans join the operation's trace.
    const forwarded = subgraphRequest.context.forwardedHeaders;
    // The client's forwarded headers first: the gateway's own cannot be overridden (and are refused as names).
    const headers: Record<string, string> = injectTraceHeaders({
      ...forwarded,
      'content-type': 'application/json',
      accept: 'application/json',
      [PRINCIPAL_HEADER]: principal,
      [REQUEST_ID_HEADER]: subgraphRequest.context.requestId,
      ...(subgraphRequest.clientOperationName ? { [OPERATION_NAME_HEADER]: subgraphRequest.clientOperationName } : {}),
    });
    const local = inProcess?.(serviceName);
    const transport = local ? () => callInProcess(local, headers, body) : () => post(url, headers, body);
    const send = breakers ? () => breakers.run(serviceName, transport) : transport;
    let shared: SharedFetch | undefined;
    if (subgraphRequest.operationKind === 'query') {
      const key = `${local ? `in-process:${serviceName}` : url}\u0000${principal}\u0000${forwardedKey(forwarded)}\u0000${body}`;
      shared = inFlight.get(key);
      if (shared) shared.waiting++;
      else {
        shared = { answer: send(), waiting: 1 };
        inFlight.set(key, shared);
        // Registered before any sharer awaits, so it runs first: no one joins once the answer is in.
        const forget = () => inFlight.delete(key);
        shared.answer.then(forget, forget);
      }
    }
    const answer = shared ? shared.answer : send();
    const raw = await (subgraphRequest.signal ? untilAborted(answer, subgraphRequest.signal) : answer);
    // The first sharer goes on at once, the others after the next ticks (the answer is parsed once the first
    // has taken it). What the first starts next may be written on a next tick (node:http does, as in the
    // provider SDKs of a subgraph called in process; undici's pools write at once), and next ticks run only
    // once no promise job is left: if every sharer went on at once, it would leave only after all of them
    // had done their part. Two ticks put the others after the tick that writes it; no I/O is read in between.
    if (shared?.parsed) await afterNextTicks();
    const reports = parseStaleHeader(raw.stale);
    if (reports.length > 0) subgraphRequest.context.stale?.push(...reports);
    return shared ? takeShared(shared, raw) : parseAnswer(raw.status, raw.body);
  };

  return {
    call,
    inProcess: (serviceName) => inProcess?.(serviceName) !== undefined,
    close: () => pools.close(),
  };
}

const afterNextTicks = () => new Promise<void>((resolve) => process.nextTick(() => process.nextTick(resolve)));

/** The answer, or a SubgraphTimeoutError once the operation's deadline passes (the request itself may still serve others sharing it). */
function untilAborted<T>(answer: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new SubgraphTimeoutError('the operation reached its deadline'));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new SubgraphTimeoutError('the operation reached its deadline'));
    signal.addEventListener('abort', abort, { once: true });
    answer.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

function requestBody({ query, operationName, variables, serializedVariables }: SubgraphRequest): string {
  const head = `{"query":${JSON.stringify(query)}${operationName ? `,"operationName":${JSON.stringify(operationName)}` : ''}`;
  const parts: string[] = [];
  for (const name in variables) parts.push(`${JSON.stringify(name)}:${JSON.stringify(variables[name]) ?? 'null'}`);
  for (const name in serializedVariables) parts.push(`${JSON.stringify(name)}:${serializedVariables[name]}`);
  return parts.length > 0 ? `${head},"variables":{${parts.join(',')}}}` : `${head}}`;
}

/**
 * A sharer's copy of a shared answer: parsed by the first to take it, copied for every sharer but the last,
 * who takes the parsed answer itself. One that gave up (the operation's deadline) leaves the parsed answer
 * unclaimed; the others still get copies.
 */
function takeShared(shared: SharedFetch, raw: RawAnswer): SubgraphResponse {
  shared.waiting--;
  if (!shared.parsed) {
    if (shared.waiting === 0) return parseAnswer(raw.status, raw.body);
    try {
      shared.parsed = { response: parseAnswer(raw.status, raw.body) };
    } catch (error) {
      shared.parsed = { failure: error instanceof Error ? error : new Error(String(error)) };
    }
  }
  if ('failure' in shared.parsed) throw shared.parsed.failure;
  return shared.waiting === 0 ? shared.parsed.response : cloneJson(shared.parsed.response);
}

/** A GraphQL answer, whatever the status (subgraphs answer 400 with errors); anything else is a failure to reach it. */
function parseAnswer(status: number, text: string): SubgraphResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`subgraph answered ${status} with something other than JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || (!('data' in parsed) && !('errors' in parsed))) throw new Error(`subgraph answered ${status} without a GraphQL result`);
  return parsed as SubgraphResponse;
}
