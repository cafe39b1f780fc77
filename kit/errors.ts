import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The stable `extensions.code` values clients may switch on. Documented in the README. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RATE_LIMITED: 'RATE_LIMITED',
  CARD_DECLINED: 'CARD_DECLINED',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  PROVIDER_TIMEOUT: 'PROVIDER_TIMEOUT',
  /** The caller's connected account at a provider cannot be used (revoked, expired, consent needed): reconnect it. */
  CONNECTION_REQUIRED: 'CONNECTION_REQUIRED',
  /** The provider account being connected is already connected to another user: disconnect it there first. */
  ACCOUNT_ALREADY_CONNECTED: 'ACCOUNT_ALREADY_CONNECTED',
  /** A subscription asked to resume after an event that is no longer buffered. */
  REPLAY_UNAVAILABLE: 'REPLAY_UNAVAILABLE',
  /** A subscription whose consumer fell too far behind was ended. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  /** The gateway could not reach one of its subgraphs. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The gateway could not plan the operation across its subgraphs (the supergraph cannot serve it). */
  QUERY_PLANNING_FAILED: 'QUERY_PLANNING_FAILED',
  /** A trusted document id the manifest does not hold (Apollo Router's code). */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** An operation sent as text where only trusted documents may run (Apollo Router's code). */
  QUERY_NOT_IN_SAFELIST: 'QUERY_NOT_IN_SAFELIST',
  /** An operation whose estimated cost is above the gateway's maximum, refused before any subgraph call (Apollo Router's and Hive Router's code). */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  /** A `@listSize(requireOneSlicingArgument: true)` field given none or several of its slicing arguments, so its size cannot be told (Hive Router's code). */
  COST_INVALID_SLICING_ARGUMENTS: 'COST_INVALID_SLICING_ARGUMENTS',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes produced by GraphQL itself and Apollo Server for requests that never reached a resolver. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
/** INTERNAL_SERVER_ERROR is what Apollo labels any unexpected throw with: never trusted to be safe to show. */
const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...REQUEST_CODES].filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/**
 * An error a subgraph returned in its GraphQL answer, at the client's path: the subgraph's to word, so it
 * reaches the client with its message and extensions (the subgraph masks its own faults), and is logged
 * as the subgraph's, not as a failure of the gateway. Only the gateway's executor makes these.
 */
export class SubgraphGraphQLError extends GraphQLError {}

/** Given to a subgraph's error that carries no code of its own (Apollo Router's and Hive's clients expect one). */
export const SUBGRAPH_ERROR_CODE = 'SUBGRAPH_ERROR';

export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** Errors we raised on purpose, or that GraphQL and Apollo Server raise for bad requests. */
export function isExpectedError(code: unknown): boolean {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/** Apollo Server's request errors that carry no code (an APQ hash that does not match its query, an APQ extension that is not version 1). */
const UNCODED_REQUEST_ERRORS = new Set(['provided sha does not match query', 'Unsupported persisted query version']);

/** The client's mistake although Apollo Server gives it no code: answered BAD_REQUEST, never logged as a failure. */
export function isUncodedRequestError(message: string): boolean {
  return UNCODED_REQUEST_ERRORS.has(message);
}

/** The federation executor's code for a subgraph it could not reach (connection refused, bad status). */
const SUBREQUEST_FAILED = 'SUBREQUEST_HTTP_ERROR';

/**
 * Apollo Server `formatError`: errors we raised on purpose pass through, and a subgraph's own GraphQL
 * errors (SubgraphGraphQLError, given as `error`) with their message and extensions; a subgraph that could not be
 * reached becomes SUBGRAPH_UNAVAILABLE; anything else becomes a bare INTERNAL_SERVER_ERROR, so hostnames,
 * stack traces, subgraph queries and credentials in a library's error never reach a client. (Unexpected
 * errors are logged, with the request id, by errorLoggingPlugin.)
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (error instanceof SubgraphGraphQLError) {
    // The subgraph's own code: Apollo has labelled a code-less error INTERNAL_SERVER_ERROR in `formatted` by now.
    const own = error.extensions['code'];
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { message: formatted.message, ...where, extensions: { ...extensions, code: typeof own === 'string' ? own : SUBGRAPH_ERROR_CODE } };
  }
  // Apollo labels these INTERNAL_SERVER_ERROR although they are the client's mistake.
  if (isUncodedRequestError(formatted.message)) return { message: formatted.message, ...where, extensions: { code: 'BAD_REQUEST' } };
  if (isExpectedError(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (code === SUBREQUEST_FAILED) {
    return { message: 'A backing service of this gateway is unavailable', ...where, extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE } };
  }
  return { message: 'Internal server error', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
