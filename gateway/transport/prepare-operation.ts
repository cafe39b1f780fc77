import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import type { Logger } from '../../kit/logger.ts';
import { requestIdFrom } from '../../kit/request-id.ts';
import type { Caller } from '../auth/principal.ts';
import type { OperationRequest, PlanEngine } from '../engine/plan-engine.ts';
import { operationLogger, type GatewayContext } from '../execute/gateway-context.ts';
import { forwardedHeaders } from '../execute/forwarded-headers.ts';
import { requestedOverrideLabels } from '../engine/progressive-override.ts';
import { resolveTrustedDocument, type TrustedDocumentsPolicy } from '../persisted-documents/resolve.ts';
import { rateLimitedError, rateLimitKey, type RateLimiter } from '../rate-limit.ts';
import type { SchemaDetails } from '../schema-details.ts';
import { validationMessage } from '../limits.ts';
import { costRefusal } from '../operation-cost.ts';

/** One operation as a streaming transport received it (a graphql-ws subscribe payload, an SSE or multipart request). */
export interface OperationPayload {
  readonly query?: unknown;
  readonly operationName?: string | null | undefined;
  readonly variables?: Record<string, unknown> | null | undefined;
  readonly extensions?: Record<string, unknown> | null | undefined;
  /** GraphQL over HTTP's persisted document id (SSE and multipart requests; graphql-ws uses extensions.documentId). */
  readonly documentId?: unknown;
}

export type PreparedOperation =
  | { readonly ok: true; readonly engine: PlanEngine; readonly request: OperationRequest; readonly document: DocumentNode; readonly operation: OperationDefinitionNode }
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

export interface OperationPreparerDeps {
  /** The engine serving now; the operation keeps it to its end, whatever is reloaded. */
  readonly engine: () => PlanEngine;
  readonly logger: Logger;
  /** The same validation rules as HTTP (depth, aliases, directives): Apollo Server's apply to its own requests only. */
  readonly validationRules: readonly ValidationRule[];
  readonly details: SchemaDetails;
  readonly maxTokens: number;
  /** The estimated cost an operation may have, with its variables (operation-cost.ts). */
  readonly maxCost: number;
  readonly rateLimiter?: RateLimiter | undefined;
  readonly trustedDocuments?: TrustedDocumentsPolicy | undefined;
  /** Client headers passed on to the subgraphs (GATEWAY_FORWARD_HEADERS, lower case), as over HTTP. */
  readonly forwardHeaders?: readonly string[] | undefined;
  /** Custom override labels a request may turn on (`x-override-labels`, GATEWAY_OVERRIDE_REQUEST_LABELS), as over HTTP. */
  readonly requestOverrideLabels?: ReadonlySet<string> | undefined;
}

/**
 * What Apollo Server does for HTTP requests, for the transports it does not serve (graphql-ws, SSE,
 * multipart subscriptions): trusted documents, parsing with the token limit, validation with the same
 * rules and masking, the caller's context, a subscription's authorization (refused whole, before anything
 * opens upstream) and the rate limit. One place, so every transport gives the same protections.
 */
export type OperationPreparer = (
  payload: OperationPayload,
  caller: Caller,
  remoteAddress: string | undefined,
  /** What the client sent as headers: the request's (SSE, multipart), or the WebSocket's (websocket.ts: clientHeaders). */
  clientHeaders?: IncomingHttpHeaders,
) => Promise<PreparedOperation>;

export function createOperationPreparer(deps: OperationPreparerDeps): OperationPreparer {
  const rules = [...specifiedRules, ...deps.validationRules, ...deps.details.extraRules];
  const forwardHeaders = deps.forwardHeaders ?? [];
  const requestOverrideLabels = deps.requestOverrideLabels ?? new Set<string>();
  return async (payload, caller, remoteAddress, clientHeaders) => {
    const refused = (...errors: GraphQLError[]): PreparedOperation => ({ ok: false, errors });
    const engine = deps.engine();
    let source = typeof payload.query === 'string' ? payload.query : '';
    if (deps.trustedDocuments) {
      const extensions = payload.extensions ?? undefined;
      const resolution = resolveTrustedDocument({ query: payload.query, documentId: payload.documentId ?? extensions?.['documentId'], extensions }, deps.trustedDocuments);
      if (resolution.kind === 'refused') return refused(new GraphQLError(resolution.message, { extensions: { code: resolution.code } }));
      if (resolution.kind === 'run') source = resolution.query;
    }
    let document: DocumentNode;
    try {
      document = parse(source, { maxTokens: deps.maxTokens });
    } catch (error) {
      return refused(error instanceof GraphQLError ? withCode(error, 'GRAPHQL_PARSE_FAILED') : new GraphQLError('Invalid query'));
    }
    const errors = validate(engine.schema, document, rules);
    if (errors.length > 0) return refused(...errors.map((error) => withCode(explained(deps.details.mask(error)), 'GRAPHQL_VALIDATION_FAILED')));
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) return refused(withCode(new GraphQLError('Could not determine which operation to run'), 'OPERATION_RESOLUTION_FAILURE'));
    // Before a subscription opens anything upstream, as HTTP refuses before anything executes.
    const tooCostly = costRefusal({ schema: engine.schema, document, operation, variables: payload.variables }, deps.maxCost);
    if (tooCostly) return refused(tooCostly);
    const requestId = requestIdFrom(payload.extensions?.['requestId']);
    const forwarded = clientHeaders ? forwardedHeaders(clientHeaders, forwardHeaders) : undefined;
    const overrideLabels = clientHeaders ? requestedOverrideLabels(clientHeaders, requestOverrideLabels) : undefined;
    const context: GatewayContext = {
      requestId,
      caller,
      logger: operationLogger(deps.logger, requestId, caller),
      stale: [],
      ...(forwarded ? { forwardedHeaders: forwarded } : {}),
      ...(overrideLabels ? { overrideLabels } : {}),
    };
    const request: OperationRequest = {
      cacheKey: createHash('sha256').update(source).digest('hex'),
      document,
      operationName: payload.operationName ?? undefined,
      variables: payload.variables ?? undefined,
      context,
    };
    // A subscription is refused whole, before anything opens upstream: it has no partial answer to give.
    if (operation.operation === 'subscription') {
      const refusals = await engine.authorizeSubscription(request);
      if (refusals.length > 0) return refused(...refusals);
    }
    const limited = await deps.rateLimiter?.(rateLimitKey(caller, remoteAddress), 1);
    if (limited) return refused(rateLimitedError(limited.retryAfterSeconds, 'websocket'));
    return { ok: true, engine, request, document, operation };
  };
}

/** graphql-js's bare "Validation aborted." explained, as Apollo Server's HTTP answers give it. */
function explained(error: GraphQLError): GraphQLError {
  const message = validationMessage(error.message);
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}

export function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code } });
}
