import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OPERATION_NAME_HEADER } from '../../kit/access/audit-plugin.ts';
import { PRINCIPAL_HEADER, type PrincipalTokens } from '../../kit/access/principal-token.ts';
import { REQUEST_ID_HEADER } from '../../kit/request-id.ts';
import { parseStaleHeader, STALE_HEADER } from '../../kit/stale-plugin.ts';
import type { SubgraphCall, SubgraphRequest, SubgraphResponse } from './subgraph-request.ts';

interface RawAnswer {
  readonly status: number;
  readonly stale: string | null;
  readonly body: string;
}

export interface SubgraphHttpOptions {
  /** Each subgraph's name (as the plan names it) and its GraphQL URL. */
  readonly endpoints: ReadonlyMap<string, string>;
  readonly tokens: PrincipalTokens;
  /** How long one subgraph request may take, headers and body each, before its fields fail (SUBGRAPH_UNAVAILABLE). */
  readonly timeoutMs?: number;
}

export interface SubgraphHttp {
  readonly call: SubgraphCall;
  close(): Promise<void>;
}

/**
 * Queries and mutations to subgraphs over HTTP (node:http, keep-alive connections per subgraph; not the
 * undici package, whose import replaces the process-wide fetch dispatcher every SDK here uses). Every request
 * carries the caller signed with the subgraphs' shared secret, the request id and the client's operation
 * name. Identical queries in flight at the same moment (same subgraph, same body, same signed caller) are
 * sent once and their answer shared: under load many operations plan the same fetches. Never across
 * callers, never for mutations. Each sharer parses its own copy, since the engine merges answers in place.
 */
export function createSubgraphHttp({ endpoints, tokens, timeoutMs = 30_000 }: SubgraphHttpOptions): SubgraphHttp {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };
  const inFlight = new Map<string, Promise<RawAnswer>>();

  const post = (url: string, headers: Record<string, string>, body: string): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith('https:');
      const send = secure ? httpsRequest : httpRequest;
      const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: secure ? agents.https : agents.http, timeout: timeoutMs }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const stale = response.headers[STALE_HEADER];
          resolve({ status: response.statusCode ?? 0, stale: typeof stale === 'string' ? stale : null, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      // An idle socket this long (no headers, or a body that stopped): the subgraph is not answering.
      request.on('timeout', () => request.destroy(new Error(`subgraph did not answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });

  const call: SubgraphCall = async (serviceName, subgraphRequest) => {
    const url = endpoints.get(serviceName);
    if (!url) throw new Error(`no endpoint for subgraph ${serviceName}`);
    const body = requestBody(subgraphRequest);
    const principal = tokens.forCaller(subgraphRequest.context.caller);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      [PRINCIPAL_HEADER]: principal,
      [REQUEST_ID_HEADER]: subgraphRequest.context.requestId,
      ...(subgraphRequest.clientOperationName ? { [OPERATION_NAME_HEADER]: subgraphRequest.clientOperationName } : {}),
    };
    let answer: Promise<RawAnswer>;
    if (subgraphRequest.operationKind === 'query') {
      const key = `${url}\u0000${principal}\u0000${body}`;
      const shared = inFlight.get(key);
      if (shared) answer = shared;
      else {
        answer = post(url, headers, body);
        inFlight.set(key, answer);
        const forget = () => inFlight.delete(key);
        answer.then(forget, forget);
      }
    } else answer = post(url, headers, body);
    const { status, stale, body: text } = await answer;
    const reports = parseStaleHeader(stale);
    if (reports.length > 0) subgraphRequest.context.stale?.push(...reports);
    return parseAnswer(status, text);
  };

  return {
    call,
    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function requestBody({ query, operationName, variables, serializedVariables }: SubgraphRequest): string {
  const head = `{"query":${JSON.stringify(query)}${operationName ? `,"operationName":${JSON.stringify(operationName)}` : ''}`;
  const parts: string[] = [];
  for (const name in variables) parts.push(`${JSON.stringify(name)}:${JSON.stringify(variables[name]) ?? 'null'}`);
  for (const name in serializedVariables) parts.push(`${JSON.stringify(name)}:${serializedVariables[name]}`);
  return parts.length > 0 ? `${head},"variables":{${parts.join(',')}}}` : `${head}}`;
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
