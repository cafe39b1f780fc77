import type { GatewayContext } from '../execute/gateway-context.ts';

/** One request to one subgraph, as a fetch node of the plan makes it. */
export interface SubgraphRequest {
  readonly query: string;
  readonly operationName?: string | undefined;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  /** Variables already in JSON (entity representations, serialized once when they were de-duplicated). */
  readonly serializedVariables?: Readonly<Record<string, string>> | undefined;
  /** Queries may be shared with identical requests in flight; mutations never. */
  readonly operationKind: 'query' | 'mutation' | 'subscription';
  readonly context: GatewayContext;
  /** The client's operation name, for the subgraph's audit records. */
  readonly clientOperationName?: string | undefined;
  /** The operation's deadline: once aborted, the request is abandoned (SubgraphTimeoutError). */
  readonly signal?: AbortSignal | undefined;
}

/** The subgraph did not answer in time (its own timeout, or the operation's deadline). */
export class SubgraphTimeoutError extends Error {
  override readonly name = 'SubgraphTimeoutError';
}

/** A subgraph's GraphQL answer, as it came over the wire. */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly SubgraphError[];
}

export interface SubgraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
  locations?: unknown;
}

/** Sends a request to the named subgraph; rejects only when no GraphQL answer came back (unreachable, not GraphQL). */
export type SubgraphCall = (serviceName: string, request: SubgraphRequest) => Promise<SubgraphResponse>;
