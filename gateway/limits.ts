import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import type { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GatewayConfig } from './config.ts';

type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * What one request may cost before it reaches a subgraph. The defaults are generous enough for real
 * screens (a page of 20 aliased objects, nested federation joins), tight enough that a crafted query
 * cannot fan out into thousands of provider calls. The same limits apply over HTTP and WebSocket;
 * each has a GATEWAY_* variable (README: Limits).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** The estimated cost an operation may have: about how many objects its answer can hold (operation-cost.ts). */
  maxCost: number;
  /** Bytes of a request body: documents and variables, never file contents (uploads go straight to storage). */
  maxBodyBytes: number;
  /** Operations in one batched HTTP request; 1 turns batching off. */
  maxBatch: number;
  /** WebSocket ping interval; a socket silent for a whole interval is dropped. */
  wsKeepAliveMs: number;
  /** Unread bytes a WebSocket client may accumulate before it is disconnected as a slow consumer. */
  wsMaxBufferedBytes: number;
  /** How long a WebSocket client may leave a message unread before it is disconnected as a slow consumer. */
  wsMaxStallMs: number;
  /** How long one subgraph request may take (it is abandoned after that; its fields get SUBGRAPH_UNAVAILABLE). */
  subgraphTimeoutMs: number;
  /** How long one operation (or one subscription event's fetches) may wait for subgraphs: then the client gets what is ready. */
  requestTimeoutMs: number;
  /** Subgraph requests in a row without an answer before that subgraph is skipped (its fields fail at once); 0: never skipped. */
  subgraphBreakerFailures: number;
  /** How long a skipped subgraph is not called before one request tries it again. */
  subgraphBreakerHalfOpenMs: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 50,
  maxDirectives: 50,
  maxTokens: 5000,
  maxCost: 10000,
  maxBodyBytes: 256 * 1024,
  maxBatch: 10,
  wsKeepAliveMs: 15_000,
  wsMaxBufferedBytes: 1024 * 1024,
  wsMaxStallMs: 10_000,
  // Above the providers' own bound (10 s, their SDKs' retries included), so a slow provider is reported as
  // PROVIDER_TIMEOUT by its subgraph rather than cut off here.
  subgraphTimeoutMs: 15_000,
  requestTimeoutMs: 20_000,
  // Five in a row: a hung subgraph costs five requests the whole timeout, then fails at once. Ten seconds
  // between tries: one request per subgraph each time, whatever the traffic.
  subgraphBreakerFailures: 5,
  subgraphBreakerHalfOpenMs: 10_000,
};

/** Per-principal request rate: a token bucket per caller, shared by every replica through the cache store. */
export interface RateLimit {
  /** Operations a caller may send at once after being idle. */
  burst: number;
  /** Operations per second a caller may sustain. */
  perSecond: number;
  /** When the shared store cannot answer: let operations through (`open`) or refuse them (`closed`). */
  onStoreError?: 'open' | 'closed';
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 10 };

export function limitsFromConfig(config: GatewayConfig): { limits: OperationLimits; rateLimit: RateLimit | undefined } {
  return {
    limits: {
      maxDepth: config.GATEWAY_MAX_DEPTH,
      maxAliases: config.GATEWAY_MAX_ALIASES,
      maxDirectives: config.GATEWAY_MAX_DIRECTIVES,
      maxTokens: config.GATEWAY_MAX_TOKENS,
      maxCost: config.GATEWAY_MAX_COST,
      maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
      maxBatch: config.GATEWAY_MAX_BATCH,
      wsKeepAliveMs: config.GATEWAY_WS_KEEPALIVE_MS,
      wsMaxBufferedBytes: config.GATEWAY_WS_MAX_BUFFERED_BYTES,
      wsMaxStallMs: config.GATEWAY_WS_MAX_STALL_MS,
      subgraphTimeoutMs: config.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      requestTimeoutMs: config.GATEWAY_REQUEST_TIMEOUT_MS,
      subgraphBreakerFailures: config.GATEWAY_SUBGRAPH_BREAKER_FAILURES,
      subgraphBreakerHalfOpenMs: config.GATEWAY_SUBGRAPH_BREAKER_HALF_OPEN_MS,
    },
    // RATE_LIMIT_PER_SECOND=0 turns rate limiting off (for load tests; never in production).
    rateLimit: config.RATE_LIMIT_PER_SECOND > 0 ? { burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND, onStoreError: config.RATE_LIMIT_ON_STORE_ERROR } : undefined,
  };
}

export function armorConfig(limits: OperationLimits, production: boolean): GraphQLArmorConfig {
  // Armor words its refusals "Syntax Error: …" (they are not syntax errors): reported here instead, in
  // plain words; Apollo Server and the WebSocket preparer give them GRAPHQL_VALIDATION_FAILED.
  const refusal = { propagateOnRejection: false, onReject: [reportPlainly] };
  return {
    maxDepth: { n: limits.maxDepth, ...refusal },
    maxAliases: { n: limits.maxAliases, ...refusal },
    maxDirectives: { n: limits.maxDirectives, ...refusal },
    // Armor's token plugin re-parses and answers a syntax error with a 500; graphql-js's parser enforces
    // the same limit through parseOptions (HTTP) and parse() (WebSocket) instead.
    maxTokens: { enabled: false },
    // Armor's cost ignores list sizes; ours (operation-cost.ts) is checked once the variables are known.
    costLimit: { enabled: false },
    // Suggestions ("did you mean…") reveal the schema; off where introspection is off.
    blockFieldSuggestion: { enabled: production },
  };
}

/** Armor's wording, without the "Syntax Error: " it puts before every refusal. */
function plainRefusal(message: string): string {
  return message.replace(/^Syntax Error: /, '');
}

function reportPlainly(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(plainRefusal(error.message)));
}

/**
 * graphql-js gives up validating, with a bare "Validation aborted.", when comparing the operation's fields
 * for conflicts (or walking its fragments) would take too long: the same field selected a thousand times.
 */
const VALIDATION_ABORTED = 'Validation aborted.';
const TOO_COMPLEX_TO_VALIDATE = 'The operation is too complex to validate: it repeats the same fields or fragments too many times.';

/** The message a client gets for a validation error: graphql-js's bare abort explained, the others as they are. */
export function validationMessage(message: string): string {
  return message === VALIDATION_ABORTED ? TOO_COMPLEX_TO_VALIDATE : message;
}

/** Apollo Server's validation errors as the client gets them (its `formatError`), with `validationMessage`'s wording. */
export function explainValidationError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return formatted.extensions?.['code'] === 'GRAPHQL_VALIDATION_FAILED' ? { ...formatted, message: validationMessage(formatted.message) } : formatted;
}
