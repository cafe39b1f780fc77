import type { BatchFetchNode, FetchNode, FlattenNode, PlanNode } from '@graphql-hive/router-query-planner';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../execute/gateway-context.ts';
import { applyRewrites, collectAt, representationKey, representationOf, type Located } from './entities.ts';
import { isObject, mergeInto, type JsonObject } from './merge.ts';
import { subgraphError } from './plan-errors.ts';
import { fetchShape, unfilledFields, type UnfilledFetch } from './unfilled-fields.ts';
import { refusalCause } from './subgraph-refusal.ts';
import { SubgraphTimeoutError, type SubgraphCall, type SubgraphError, type SubgraphResponse } from './subgraph-request.ts';
import type { TypeConditionCheck } from './type-conditions.ts';
import { SubgraphCircuitOpenError } from './subgraph-breakers.ts';
import { settledOrTurn } from '../../kit/one-after-another.ts';

/** What one operation's plan builds: the merged answers of its fetches, and the errors, at client paths. */
export interface PlanState {
  data: JsonObject;
  readonly errors: GraphQLError[];
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: GatewayContext;
  readonly clientOperationName: string | undefined;
  /** Aborted at the operation's deadline: fetches still outstanding then fail (their fields get errors). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Output rewrites (a field fetched under an internal alias given back the client's key), applied when the
   * plan is done (finishPlan): applied at once, a renamed key could hide the key field a later fetch reads.
   */
  readonly renames: { value: unknown; rewrites: NonNullable<FetchNode['outputRewrites']> }[];
  /** Fetches that failed as a whole: their errors are placed when the plan is done (see unfilled-fields.ts). */
  readonly unfilled: UnfilledFetch[];
  /** Paths left `null` that a subgraph's own error without a path accounts for (see UnfilledFetch.reported). */
  readonly covered: Path[];
}

export interface PlanExecutorDeps {
  readonly call: SubgraphCall;
  readonly matches: TypeConditionCheck;
  /** Whether `call` serves this subgraph in process (runParallel starts those branches one after another). */
  readonly inProcess?: ((serviceName: string) => boolean) | undefined;
}

type Path = readonly (string | number)[];

/**
 * Runs a query plan's nodes: Sequence in order, Parallel at once, Fetch into the root, Flatten into the
 * objects at its path (as `_entities`), BatchFetch (several entity fetches in one request), Condition on a
 * boolean variable, Defer with its deferred parts run inline (no incremental delivery yet). A fetch that
 * fails leaves its fields missing and an error at their paths; the rest of the plan goes on.
 */
export function executePlanNode(node: PlanNode, state: PlanState, deps: PlanExecutorDeps): Promise<void> | void {
  switch (node.kind) {
    case 'Sequence':
      return runSequence(node.nodes, state, deps);
    case 'Parallel':
      return runParallel(node.nodes, state, deps);
    case 'Fetch':
      return fetchRoot(node, state, deps);
    case 'Flatten':
      return flatten(node, state, deps);
    case 'BatchFetch':
      return batchFetch(node, state, deps);
    case 'Condition': {
      const branch = state.variables[node.condition] === true ? node.ifClause : node.elseClause;
      return branch ? executePlanNode(branch, state, deps) : undefined;
    }
    case 'Defer': {
      const deferred = () => runParallel(node.deferred.flatMap((part) => (part.node ? [part.node] : [])), state, deps);
      const primary = node.primary.node ? executePlanNode(node.primary.node, state, deps) : undefined;
      return primary ? primary.then(deferred) : deferred();
    }
    case 'Subscription':
      // Subscriptions are run by subscribe.ts, which opens the primary fetch as a stream.
      throw new Error('a Subscription node cannot be executed as a query');
  }
}

async function runSequence(nodes: readonly PlanNode[], state: PlanState, deps: PlanExecutorDeps): Promise<void> {
  for (const node of nodes) await executePlanNode(node, state, deps);
}

const isMutationFetch = (node: PlanNode) => node.kind === 'Fetch' && node.operationKind === 'mutation';

function runParallel(nodes: readonly PlanNode[], state: PlanState, deps: PlanExecutorDeps): Promise<void> | void {
  // The planner may put a mutation beside the entity fetches of the mutation before it; the spec wants each
  // mutation field's whole answer before the next mutation runs. Parallel nodes are independent, so the
  // reads go first, then the mutations, in order.
  if (nodes.length > 1 && nodes.some(isMutationFetch)) {
    const reads = nodes.filter((node) => !isMutationFetch(node));
    const mutations = nodes.filter(isMutationFetch);
    return Promise.resolve(runParallel(reads, state, deps)).then(() => runSequence(mutations, state, deps));
  }
  const inProcess = deps.inProcess;
  if (inProcess && nodes.length > 1 && nodes.some((node) => startsInProcess(node, inProcess))) return startOneAfterAnother(nodes, state, deps, inProcess);
  const pending: Promise<void>[] = [];
  for (const node of nodes) {
    const result = executePlanNode(node, state, deps);
    if (result) pending.push(result);
  }
  if (pending.length === 0) return;
  return pending.length === 1 ? pending[0] : Promise.all(pending).then(() => undefined);
}

/**
 * A subgraph called in process runs its whole pipeline, up to its provider's request, in promise jobs:
 * branches started together interleave theirs, and none reached its provider before all had (the X users
 * lookup of bench:providers left ~3 ms later beside the GitHub fetch). So the branch after one that starts in
 * process waits until that one has settled or gone out to I/O (settledOrTurn). Over HTTP a fetch is written
 * at once and the next branch starts without waiting.
 */
async function startOneAfterAnother(nodes: readonly PlanNode[], state: PlanState, deps: PlanExecutorDeps, inProcess: (serviceName: string) => boolean): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const [index, node] of nodes.entries()) {
    const result = executePlanNode(node, state, deps);
    if (!result) continue;
    pending.push(result);
    if (index < nodes.length - 1 && startsInProcess(node, inProcess)) await settledOrTurn(result);
  }
  await Promise.all(pending);
}

/** Whether a plan node's first fetch goes to a subgraph called in process. */
function startsInProcess(node: PlanNode, inProcess: (serviceName: string) => boolean): boolean {
  switch (node.kind) {
    case 'Fetch':
    case 'BatchFetch':
      return inProcess(node.serviceName);
    case 'Flatten':
      return startsInProcess(node.node, inProcess);
    case 'Sequence':
      return node.nodes.length > 0 && startsInProcess(node.nodes[0]!, inProcess);
    case 'Parallel':
      return node.nodes.some((branch) => startsInProcess(branch, inProcess));
    case 'Condition':
      return [node.ifClause, node.elseClause].some((branch) => branch !== undefined && branch !== null && startsInProcess(branch, inProcess));
    case 'Defer':
      return node.primary.node ? startsInProcess(node.primary.node, inProcess) : false;
    case 'Subscription':
      return false;
  }
}

/** The variables of the client's operation that a fetch uses, by the names the planner kept. */
export function variablesFor(names: readonly string[] | undefined, variables: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  if (!names || names.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  for (const name of names) if (name in variables) picked[name] = variables[name];
  return picked;
}

/** A fetch that got no GraphQL answer: the subgraph could not be reached, or did not answer in time. */
interface FetchFailure {
  readonly timedOut: boolean;
}

const isFailure = (answer: SubgraphResponse | FetchFailure): answer is FetchFailure => 'timedOut' in answer;

async function send(
  node: FetchNode | BatchFetchNode,
  variables: Record<string, unknown> | undefined,
  state: PlanState,
  deps: PlanExecutorDeps,
  serializedVariables?: Readonly<Record<string, string>>,
): Promise<SubgraphResponse | FetchFailure> {
  let response: SubgraphResponse;
  try {
    response = await deps.call(node.serviceName, {
      query: node.operation,
      operationName: node.operationName,
      variables,
      serializedVariables,
      operationKind: node.operationKind ?? 'query',
      context: state.context,
      clientOperationName: state.clientOperationName,
      signal: state.signal,
    });
  } catch (error) {
    const timedOut = error instanceof SubgraphTimeoutError;
    // While a subgraph's breaker is open, every operation needing it lands here: its opening was logged once.
    if (error instanceof SubgraphCircuitOpenError) state.context.logger.debug({ subgraph: node.serviceName }, 'subgraph skipped: its breaker is open');
    else state.context.logger.warn({ err: error, subgraph: node.serviceName }, timedOut ? 'subgraph request timed out' : 'subgraph request failed');
    return { timedOut };
  }
  reportRefusal(response, node.serviceName, state);
  return response;
}

/**
 * The client's operation was valid against the supergraph, so a subgraph refusing what was planned from it
 * means the two disagree (a hand-edited supergraph, a subgraph deployed without recomposing), unless what it
 * refused is a value only it checks (a custom scalar's literal). The client gets the subgraph's error either
 * way; the operator is told of a disagreement, which the error alone does not explain, and not bothered with
 * a client's bad input.
 */
function reportRefusal(response: SubgraphResponse, serviceName: string, state: PlanState): void {
  let input: SubgraphError | undefined;
  for (const error of response.errors ?? []) {
    const cause = refusalCause(error);
    if (cause === 'mismatch') {
      state.context.logger.warn(
        { subgraph: serviceName, reason: error.message },
        'subgraph refused the query planned for it: the supergraph does not match the schema the subgraph serves (compose it again from the subgraph as deployed)',
      );
      return;
    }
    if (cause === 'input') input ??= error;
  }
  if (input) state.context.logger.debug({ subgraph: serviceName, reason: input.message }, "subgraph refused a value of the client's operation that only it checks (a custom scalar)");
}

async function fetchRoot(node: FetchNode, state: PlanState, deps: PlanExecutorDeps): Promise<void> {
  const response = await send(node, variablesFor(node.variableUsages, state.variables), state, deps);
  if (isFailure(response)) {
    state.unfilled.push({ shape: fetchShape(node, node.outputRewrites), timedOut: response.timedOut });
    return;
  }
  for (const error of response.errors ?? []) state.errors.push(subgraphError(error, error.path));
  if (!isObject(response.data)) {
    if (response.errors?.some((error) => !error.path)) state.unfilled.push({ shape: fetchShape(node, node.outputRewrites), timedOut: false, reported: true });
    return;
  }
  mergeInto(state.data, response.data);
  if (node.outputRewrites) state.renames.push({ value: state.data, rewrites: node.outputRewrites });
}

/** Entities of one fetch: distinct representations, and for each target the representation it got. */
interface EntityBatch {
  /** Each distinct representation as JSON (sent as they are: see SubgraphRequest.serializedVariables). */
  readonly representations: string[];
  readonly targets: Located[];
  readonly indexOfTarget: number[];
  /** Each representation's JSON → its index, so a representation reached again is sent once. */
  readonly seen: Map<string, number>;
}

const emptyBatch = (): EntityBatch => ({ representations: [], targets: [], indexOfTarget: [], seen: new Map() });

function entityBatch(node: { requires?: FetchNode['requires']; inputRewrites?: FetchNode['inputRewrites'] }, located: Located[], deps: PlanExecutorDeps, into?: EntityBatch): EntityBatch {
  const batch = into ?? emptyBatch();
  const { seen } = batch;
  for (const target of located) {
    const representation = node.requires ? representationOf(node.requires, target.object, deps.matches) : null;
    if (!representation) continue;
    if (node.inputRewrites) applyRewrites(representation, node.inputRewrites, deps.matches);
    const key = representationKey(representation);
    let index = seen.get(key);
    if (index === undefined) {
      index = batch.representations.push(key) - 1;
      seen.set(key, index);
    }
    batch.targets.push(target);
    batch.indexOfTarget.push(index);
  }
  return batch;
}

/** An `_entities` error's path (`_entities`, index, rest) moved to each object that representation stood for. */
function entityErrors(error: SubgraphError, offset: number, batch: EntityBatch): GraphQLError[] {
  const path = error.path;
  const index = path?.[offset];
  // An error about the whole fetch (no entity index) belongs to every object the fetch was for.
  if (!path || typeof index !== 'number') return distinctPaths(batch.targets).map((target) => subgraphError(error, target));
  const rest = path.slice(offset + 1);
  const errors: GraphQLError[] = [];
  batch.indexOfTarget.forEach((representation, target) => {
    if (representation === index) errors.push(subgraphError(error, [...batch.targets[target]!.path, ...rest]));
  });
  return errors.length > 0 ? errors : [subgraphError(error, undefined)];
}

function mergeEntities(entities: unknown, batch: EntityBatch, targets: readonly number[] | undefined, rewrites: FetchNode['outputRewrites'], state: PlanState): void {
  if (!Array.isArray(entities)) return;
  const indexes = targets ?? batch.targets.map((_, i) => i);
  const merged: JsonObject[] = [];
  for (const target of indexes) {
    const entity = entities[batch.indexOfTarget[target]!];
    if (!isObject(entity)) continue;
    const object = batch.targets[target]!.object;
    mergeInto(object, entity);
    merged.push(object);
  }
  if (rewrites && merged.length > 0) state.renames.push({ value: merged, rewrites });
}

function distinctPaths(targets: readonly Located[]): (readonly (string | number)[])[] {
  const seen = new Set<string>();
  return targets.flatMap((target) => {
    const key = JSON.stringify(target.path);
    if (seen.has(key)) return [];
    seen.add(key);
    return [target.path];
  });
}

/**
 * Applies the output rewrites the plan's fetches left (see PlanState.renames), then gives the fields of
 * failed fetches that no other fetch filled their errors; call once, after the plan.
 */
export function finishPlan(state: PlanState, deps: PlanExecutorDeps): void {
  for (const { value, rewrites } of state.renames) applyRewrites(value, rewrites, deps.matches);
  state.renames.length = 0;
  const { errors, covered } = unfilledFields(state.unfilled, state.data, deps.matches);
  state.errors.push(...errors);
  state.covered.push(...covered);
  state.unfilled.length = 0;
}

async function flatten(node: FlattenNode, state: PlanState, deps: PlanExecutorDeps): Promise<void> {
  const fetch = node.node;
  if (fetch.kind !== 'Fetch') {
    // The planner puts only fetches under Flatten; anything else runs as it is.
    return executePlanNode(fetch, state, deps);
  }
  const batch = entityBatch(fetch, collectAt(state.data, node.path, deps.matches), deps);
  if (batch.representations.length === 0) return;
  const response = await send(fetch, variablesFor(fetch.variableUsages, state.variables), state, deps, { representations: `[${batch.representations.join(',')}]` });
  if (isFailure(response)) {
    state.unfilled.push({ shape: fetchShape(fetch, fetch.outputRewrites, '_entities'), at: batch.targets, timedOut: response.timedOut });
    return;
  }
  for (const error of response.errors ?? []) state.errors.push(...entityErrors(error, 1, batch));
  mergeEntities(isObject(response.data) ? response.data['_entities'] : undefined, batch, undefined, fetch.outputRewrites, state);
}

async function batchFetch(node: BatchFetchNode, state: PlanState, deps: PlanExecutorDeps): Promise<void> {
  // Aliases that share a representations variable share one list of representations.
  const byVariable = new Map<string, EntityBatch>();
  const perAlias = node.entityBatch.aliases.map((alias) => {
    const batch = byVariable.get(alias.representationsVariableName) ?? emptyBatch();
    byVariable.set(alias.representationsVariableName, batch);
    const first = batch.targets.length;
    for (const path of alias.paths) entityBatch(alias, collectAt(state.data, path, deps.matches), deps, batch);
    return { alias, batch, targets: Array.from({ length: batch.targets.length - first }, (_, i) => first + i) };
  });
  if ([...byVariable.values()].every((batch) => batch.representations.length === 0)) return;
  const serialized: Record<string, string> = {};
  for (const [name, batch] of byVariable) serialized[name] = `[${batch.representations.join(',')}]`;
  const response = await send(node, variablesFor(node.variableUsages, state.variables), state, deps, serialized);
  if (isFailure(response)) {
    for (const { alias, batch, targets } of perAlias) {
      state.unfilled.push({ shape: fetchShape(node, alias.outputRewrites, alias.alias), at: targets.map((target) => batch.targets[target]!), timedOut: response.timedOut });
    }
    return;
  }
  for (const error of response.errors ?? []) {
    const owner = perAlias.find(({ alias }) => alias.alias === error.path?.[0]);
    state.errors.push(...(owner ? entityErrors(error, 1, owner.batch) : [subgraphError(error, undefined)]));
  }
  if (!isObject(response.data)) return;
  for (const { alias, batch, targets } of perAlias) mergeEntities(response.data[alias.alias], batch, targets, alias.outputRewrites, state);
}
