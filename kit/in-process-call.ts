import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Caller } from './access/principal.ts';
import { PRINCIPAL_HEADER, type PrincipalTokens } from './access/principal-token.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { BaseContext, Subgraph } from './subgraph.ts';
import { inServerSpan } from './tracing.ts';

/** A `POST /graphql` to a subgraph as the gateway sends it: its headers (lower-case names) and JSON body. */
export interface InProcessRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The subgraph's answer, as it would have gone over HTTP. */
export interface InProcessAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/**
 * The subgraph's `POST /graphql` without a socket, for a gateway in the same process (`npm start`): the
 * same checks and pipeline in the same order (the gateway's signature on the caller, the request's
 * provider-id log, Apollo Server with the subgraph's plugins), minus the HTTP framing on both sides.
 * Rejects once the subgraph has stopped, as a closed port would refuse the connection.
 */
export type InProcessCall = (request: InProcessRequest) => Promise<InProcessAnswer>;

export interface InProcessCallOptions<Context extends BaseContext> {
  readonly apollo: ApolloServer<Context>;
  readonly subgraph: Subgraph<Context>;
  readonly tokens: PrincipalTokens;
  readonly route: string;
  readonly stopped: () => boolean;
}

export function createInProcessCall<Context extends BaseContext>({ apollo, subgraph, tokens, route, stopped }: InProcessCallOptions<Context>): InProcessCall {
  return async ({ headers, body }) => {
    if (stopped()) throw new Error(`the ${subgraph.name} subgraph has stopped`);
    let caller: Caller;
    try {
      caller = tokens.verifyCaller(headers[PRINCIPAL_HEADER]);
    } catch {
      return { status: 401, headers: new Map([['content-type', 'application/json']]), body: UNSIGNED_ANSWER };
    }
    const execute = async (): Promise<InProcessAnswer> => {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: headerMap(headers), search: '', body: JSON.parse(body) as unknown },
        context: async () => subgraph.createContext({ requestId: headers[REQUEST_ID_HEADER], caller }),
      });
      let text = '';
      if (response.body.kind === 'complete') text = response.body.string;
      else for await (const chunk of response.body.asyncIterator) text += chunk;
      return { status: response.status ?? 200, headers: response.headers, body: text };
    };
    // The server span the HTTP route would have opened, so traces read the same either way.
    return inServerSpan(`POST ${route}`, { 'graphql.subgraph.name': subgraph.name, 'graphql.subgraph.in_process': true }, headers, (span) =>
      (subgraph.requestLog ? subgraph.requestLog.run(execute) : execute()).then((answer) => {
        span.setAttribute('http.response.status_code', answer.status);
        return answer;
      }),
    );
  };
}

/** What a request without the gateway's signature gets, over HTTP or in process. */
export const UNSIGNED_ANSWER = JSON.stringify({ errors: [{ message: 'requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });

function headerMap(headers: Readonly<Record<string, string>>): HeaderMap {
  const map = new HeaderMap();
  for (const name in headers) map.set(name, headers[name]!);
  return map;
}
