import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { inSpan, inSpanSync } from '../../kit/tracing.ts';
import type { PlanNode } from '@graphql-hive/router-query-planner';
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileOperationAccess, type AccessDecision, type FieldRefusal, type OperationAccess, type ShieldRules } from '../authorize/operation-check.ts';
import { answerSessionOf, type GatewayContext } from '../execute/gateway-context.ts';
import { splitLocalRootFields, type SplitOperation } from './local-fields.ts';
import { Lru } from '../../kit/lru.ts';
import { ErrorCode } from '../../kit/errors.ts';
import { fragmentsOf } from '../selections.ts';
import { isObject, mergeInto, type JsonObject } from './merge.ts';
import { subgraphError, unavailableError } from './plan-errors.ts';
import { executePlanNode, finishPlan, variablesFor, type PlanExecutorDeps, type PlanState } from './plan-executor.ts';
import type { OperationSharing } from './operation-sharing.ts';
import { compileProjection, type Projection } from './projection.ts';
import type { SupergraphPlanner } from './query-planner.ts';
import type { OverrideSelection, OverrideSelector } from './progressive-override.ts';
import type { SubgraphCall, SubgraphError, SubgraphResponse } from './subgraph-request.ts';
import type { SubgraphStreams } from './subgraph-websocket.ts';
import { SubgraphCircuitOpenError } from './subgraph-breakers.ts';
import { typeConditionCheck } from './type-conditions.ts';

/** One operation as a client sent it, parsed and validated against the API schema. */
export interface OperationRequest {
  /** Identifies the document (Apollo's query hash, or the text): the compiled operation is cached under it. */
  readonly cacheKey: string;
  readonly document: DocumentNode;
  readonly operationName: string | null | undefined;
  readonly variables: Readonly<Record<string, unknown>> | null | undefined;
  readonly context: GatewayContext;
}

/** A subscription, started: its events, each the result of the rest of the plan for one upstream event. */
export type SubscriptionResult = AsyncGenerator<ExecutionResult, void, void>;

export interface PlanEngine {
  /** The schema clients see, with the gateway's own root fields. */
  readonly schema: GraphQLSchema;
  /** Runs a query or mutation; never throws for anything a client or a subgraph did. */
  execute(request: OperationRequest): Promise<ExecutionResult>;
  /** Authorizes a subscription: the errors to refuse it with, or none. */
  authorizeSubscription(request: OperationRequest): Promise<readonly GraphQLError[]>;
  subscribe(request: OperationRequest): Promise<SubscriptionResult | ExecutionResult>;
}

export interface PlanEngineOptions {
  readonly planner: SupergraphPlanner;
  /** The API schema plus the gateway's own root fields (with their resolvers), answered locally. */
  readonly schema: GraphQLSchema;
  /** Root fields of Query the gateway answers itself (never planned). */
  readonly gatewayFields: ReadonlySet<string>;
  readonly rules: ShieldRules;
  readonly call: SubgraphCall;
  /** Whether `call` serves this subgraph in process (plan-executor.ts runs such Parallel branches one after another). */
  readonly inProcess?: ((serviceName: string) => boolean) | undefined;
  readonly streams: SubgraphStreams;
  /** Mutation fields the rules refused, for the audit trail. */
  readonly onMutationRefused?: ((refusal: FieldRefusal, context: GatewayContext, operationName: string | null) => void) | undefined;
  /** Compiled operations kept (each with its plans). */
  readonly cacheSize?: number;
  /** How long an operation (or one subscription event) may wait for subgraphs; then it is answered with what is ready. */
  readonly requestTimeoutMs?: number;
  /** Masks what variable errors tell about the schema (suggestions), as every transport does. */
  readonly maskError?: ((error: GraphQLError) => GraphQLError) | undefined;
  /** Identical queries in flight (same caller: same principal, scopes and linked accounts) run once; off when absent. */
  readonly sharing?: OperationSharing | undefined;
  /** Which progressive overrides each request gets (progressive-override.ts); none on when absent. */
  readonly overrides?: OverrideSelector | undefined;
}

/** What the engine keeps per operation: compiled once, reused by every request that sends it. */
interface CompiledOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly access: OperationAccess;
  readonly projection: Projection;
  /** Per set of refused fields (`AccessDecision.key`) and progressive override outcome: what is planned and what is answered here. */
  readonly prepared: Map<string, PreparedOperation | GraphQLError>;
}

interface PreparedOperation extends SplitOperation {
  /** `undefined`: nothing to fetch. */
  readonly plan: PlanNode | undefined;
}

const NOTHING: PreparedOperation = { remote: null, local: null, localKeys: new Set(), plan: undefined };

const NO_OVERRIDE: OverrideSelection = { key: '', choice: { activeLabels: new Set(), percentageValue: 100 } };
const NO_OVERRIDES: OverrideSelector = () => NO_OVERRIDE;

/**
 * The query-plan engine: per operation, the access decision (before anything is planned or fetched),
 * Hive Router's plan for what is left, the plan run against the subgraphs, and the client's answer
 * projected from the merged results. Operations and their plans are cached in a bounded LRU shared by
 * HTTP and WebSocket.
 */
export function createPlanEngine({
  planner,
  schema,
  gatewayFields,
  rules,
  call,
  inProcess,
  streams,
  onMutationRefused,
  cacheSize = 1000,
  requestTimeoutMs = 20_000,
  maskError = (error) => error,
  sharing,
  overrides = NO_OVERRIDES,
}: PlanEngineOptions): PlanEngine {
  const cache = new Lru<string, CompiledOperation>(cacheSize);
  const deps: PlanExecutorDeps = { call, matches: typeConditionCheck(schema), inProcess };
  // Operations share only with the engine they were validated for (a reload serves the next supergraph beside this one).
  const sharingScope = randomUUID();

  /** The operation compiled (cached), or the error for a document without that operation (the client's mistake). */
  const compile = (request: OperationRequest): CompiledOperation | GraphQLError => {
    const key = operationKey(request);
    let compiled = cache.get(key);
    if (compiled) return compiled;
    const operation = getOperationAST(request.document, request.operationName);
    if (!operation) return unresolvedOperation(request.operationName);
    const fragments = fragmentsOf(request.document.definitions);
    compiled = {
      document: request.document,
      operation,
      access: compileOperationAccess({ schema, document: request.document, operation, rules }),
      projection: compileProjection(schema, operation, fragments),
      prepared: new Map(),
    };
    cache.set(key, compiled);
    return compiled;
  };

  const prepare = (compiled: CompiledOperation, decision: AccessDecision, context: GatewayContext): PreparedOperation | GraphQLError => {
    const override = overrides(context.overrideLabels);
    const key = override.key === '' ? decision.key : `${decision.key}\u0001${override.key}`;
    let prepared = compiled.prepared.get(key);
    if (prepared) return prepared;
    if (!decision.document) prepared = NOTHING;
    else {
      const operation = getOperationAST(decision.document, compiled.operation.name?.value);
      if (!operation) throw new Error('the authorized document lost its operation');
      const split = splitLocalRootFields(decision.document, operation, gatewayFields);
      try {
        const remote = split.remote;
        // Once per operation and set of refused fields: later requests reuse the plan (and make no span).
        const plan = remote ? inSpanSync('graphql.plan', { 'graphql.operation.name': compiled.operation.name?.value ?? '' }, () => planner.plan(print(remote), compiled.operation.name?.value, override.choice).node) : undefined;
        prepared = { ...split, plan };
      } catch (error) {
        prepared = error instanceof GraphQLError ? error : new GraphQLError('The operation could not be planned');
      }
    }
    compiled.prepared.set(key, prepared);
    return prepared;
  };

  /**
   * Variables as the schema coerces them (defaults applied); errors make Apollo Server answer 400. They are
   * the client's mistake: BAD_USER_INPUT on every transport (Apollo Server gives that code to such errors over
   * HTTP only; graphql-ws, SSE and multipart would otherwise mask them as INTERNAL_SERVER_ERROR).
   */
  const coerce = (compiled: CompiledOperation, variables: OperationRequest['variables']) => {
    const coerced = getVariableValues(schema, compiled.operation.variableDefinitions ?? [], variables ?? {});
    return coerced.errors ? { errors: coerced.errors.map((error) => maskError(asBadUserInput(error))) } : coerced;
  };

  const decideFor = async (compiled: CompiledOperation, request: OperationRequest, variables: Record<string, unknown>) => {
    const decision = await compiled.access.decide(request.context.caller, variables);
    if (onMutationRefused && compiled.operation.operation === 'mutation') {
      for (const refusal of decision.refusals) onMutationRefused(refusal, request.context, compiled.operation.name?.value ?? null);
    }
    return decision;
  };

  const answer = (compiled: CompiledOperation, decision: AccessDecision, state: PlanState, localKeys: ReadonlySet<string>): ExecutionResult => {
    const { data, errors } = compiled.projection.project({ data: state.data, errors: state.errors, variables: state.variables, refused: decision.refused, localKeys, covered: state.covered });
    return errors.length > 0 ? { data, errors } : { data };
  };

  const newState = (request: OperationRequest, variables: Record<string, unknown>, compiled: CompiledOperation): PlanState => ({
    data: {},
    errors: [],
    variables,
    context: request.context,
    clientOperationName: compiled.operation.name?.value,
    signal: operationDeadline(requestTimeoutMs),
    renames: [],
    unfilled: [],
    covered: [],
  });

  const runLocal = async (document: DocumentNode, state: PlanState): Promise<void> => {
    const result = await execute({ schema, document, variableValues: state.variables, contextValue: state.context });
    if (result.data) mergeInto(state.data, result.data as JsonObject);
    if (result.errors) state.errors.push(...result.errors);
  };

  // The decision authorizeSubscription made for a request, reused by its subscribe: the rules run once.
  const subscriptionDecisions = new WeakMap<OperationRequest, AccessDecision>();

  return {
    schema,
    execute(request) {
      const compiled = compile(request);
      // Returned, not thrown: Apollo Server answers it as OPERATION_RESOLUTION_FAILURE (400), as for a plain schema.
      if (compiled instanceof GraphQLError) return Promise.resolve({ errors: [compiled] });
      return inSpan('graphql.operation', operationAttributes(compiled.operation), async (span) => {
        const coerced = coerce(compiled, request.variables);
        if (coerced.errors) return { errors: coerced.errors };
        const decision = await decideFor(compiled, request, coerced.coerced);
        const prepared = prepare(compiled, decision, request.context);
        if (prepared instanceof GraphQLError) return { data: null, errors: [prepared] };
        const run = async () => {
          const state = newState(request, coerced.coerced, compiled);
          await Promise.all([prepared.plan ? executePlanNode(prepared.plan, state, deps) : undefined, prepared.local ? runLocal(prepared.local, state) : undefined]);
          finishPlan(state, deps);
          return answer(compiled, decision, state, prepared.localKeys);
        };
        const shareAs = sharing && compiled.operation.operation === 'query' ? sharingKey(`${sharingScope}\u0000${answerSessionOf(request.context) ?? 'anonymous'}`, request, decision, coerced.coerced) : undefined;
        const result = sharing && shareAs !== undefined ? await sharing.run(shareAs, request.context, run) : await run();
        if (result.errors) span.setAttribute('graphql.error.count', result.errors.length);
        return result;
      });
    },

    async authorizeSubscription(request) {
      const compiled = compile(request);
      if (compiled instanceof GraphQLError) return [compiled];
      const coerced = coerce(compiled, request.variables);
      if (coerced.errors) return coerced.errors;
      const decision = await decideFor(compiled, request, coerced.coerced);
      subscriptionDecisions.set(request, decision);
      return [...decision.refused.entries()].map(([node, error]) => new GraphQLError(error.message, { nodes: [node], extensions: error.extensions }));
    },

    async subscribe(request) {
      const compiled = compile(request);
      if (compiled instanceof GraphQLError) return { errors: [compiled] };
      const coerced = coerce(compiled, request.variables);
      if (coerced.errors) return { errors: coerced.errors };
      const decision = subscriptionDecisions.get(request) ?? (await decideFor(compiled, request, coerced.coerced));
      subscriptionDecisions.delete(request);
      if (decision.refused.size > 0) return answer(compiled, decision, newState(request, coerced.coerced, compiled), new Set());
      const prepared = prepare(compiled, decision, request.context);
      if (prepared instanceof GraphQLError) return { errors: [prepared] };
      const { primary, rest } = subscriptionParts(prepared.plan);
      if (!primary) return { errors: [new GraphQLError('The subscription could not be planned to one subgraph')] };
      const upstream = streams.subscribe(primary.serviceName, {
        query: primary.operation,
        operationName: primary.operationName,
        variables: variablesFor(primary.variableUsages, coerced.coerced),
        operationKind: 'subscription',
        context: request.context,
        clientOperationName: compiled.operation.name?.value,
      });
      const events = (async function* events(): SubscriptionResult {
        try {
          for await (const event of eventsOrFailure(upstream, request.context)) {
            // One span per event: the rest of the plan (entity fetches into other subgraphs) it took.
            yield await inSpan('graphql.subscription.event', operationAttributes(compiled.operation), async () => {
              const state = newState(request, coerced.coerced, compiled);
              for (const error of event.errors ?? []) state.errors.push(subgraphError(error, error.path));
              if (isObject(event.data)) mergeInto(state.data, event.data);
              if (rest.length > 0 && isObject(event.data)) for (const node of rest) await executePlanNode(node, state, deps);
              finishPlan(state, deps);
              return answer(compiled, decision, state, new Set());
            });
          }
        } finally {
          await upstream.return?.();
        }
      })();
      return endingUpstreamFirst(events, upstream);
    },
  };
}

/**
 * The client's stream, whose `return()` (the client went away) ends the upstream subscription at once. An
 * async generator's own `return()` waits while it is suspended awaiting the upstream's next event, which on
 * a quiet topic may never come: the subscription would stay open upstream until then.
 */
function endingUpstreamFirst(events: SubscriptionResult, upstream: AsyncIterator<unknown>): SubscriptionResult {
  const stream: SubscriptionResult = {
    next: () => events.next(),
    async return() {
      await upstream.return?.();
      return events.return();
    },
    throw: (error: unknown) => events.throw(error),
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/** What identifies an operation's document: its compiled form (and plans) are cached under it. */
const operationKey = (request: OperationRequest) => `${request.operationName ?? ''}\u0000${request.cacheKey}`;

/** Operations with the same key send the same subgraph requests; undefined: variables JSON cannot hold (never shared). */
function sharingKey(callerKey: string, request: OperationRequest, decision: AccessDecision, variables: Record<string, unknown>): string | undefined {
  try {
    return `${callerKey}\u0000${operationKey(request)}\u0000${decision.key}\u0000${JSON.stringify(variables)}`;
  } catch {
    return undefined;
  }
}

/** The operation's deadline: every fetch of the operation listens to it (many at once in a wide plan, not a leak). */
function operationDeadline(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  setMaxListeners(0, signal);
  return signal;
}

/** The operation's semantic-convention attributes (its type and name, never its variables). */
const operationAttributes = (operation: OperationDefinitionNode) => ({ 'graphql.operation.type': operation.operation, 'graphql.operation.name': operation.name?.value ?? '' });

/**
 * The subgraph's events; when its stream fails (the subgraph refused the operation, or its connection was
 * lost), one last event with the error, so the client's subscription ends with a reason and its socket,
 * which carries its other subscriptions, stays open.
 */
async function* eventsOrFailure(upstream: AsyncIterableIterator<SubgraphResponse>, context: GatewayContext): AsyncGenerator<SubgraphResponse> {
  try {
    yield* upstream;
  } catch (failure) {
    if (Array.isArray(failure) && failure.every((error) => typeof error === 'object' && error !== null && typeof (error as SubgraphError).message === 'string')) {
      yield { data: null, errors: failure as SubgraphError[] };
      return;
    }
    // While a subgraph's breaker is open, every subscription to it lands here: its opening was logged once.
    if (failure instanceof SubgraphCircuitOpenError) context.logger.debug({ err: failure }, 'subscription skipped: its subgraph breaker is open');
    else context.logger.warn({ err: failure }, 'subgraph subscription stream failed');
    const { message, extensions } = unavailableError(undefined).toJSON();
    yield { data: null, errors: [{ message, extensions }] };
  }
}

/** A subscription's plan: the Subscription node's primary fetch (a stream), then what runs for each event. */
function subscriptionParts(plan: PlanNode | undefined) {
  if (plan?.kind === 'Subscription') return { primary: plan.primary, rest: [] as PlanNode[] };
  if (plan?.kind === 'Sequence' && plan.nodes[0]?.kind === 'Subscription') return { primary: plan.nodes[0].primary, rest: plan.nodes.slice(1) };
  return { primary: undefined, rest: [] as PlanNode[] };
}

/** The document has no operation of that name, or several and no name (graphql-js's wording, Apollo's code). */
function unresolvedOperation(operationName: string | null | undefined): GraphQLError {
  const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

/** A variable coercion error with BAD_USER_INPUT as its code, unless it carries one already. */
function asBadUserInput(error: GraphQLError): GraphQLError {
  if (error.extensions['code'] !== undefined) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, originalError: error.originalError, extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT } });
}
