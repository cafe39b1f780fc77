import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../execute/gateway-context.ts';

/**
 * Identical queries in flight at the same moment, run once (inbound de-duplication, Hive Router's
 * `traffic_shaping.router.dedupe`): same operation, same refused fields, same variables, same caller and forwarded headers (`answerSessionOf`).
 * Each of those operations would send the same subgraph requests, which the subgraph client already
 * shares; running the operation once also spares building the same answer again for each, and
 * stringifying it. A request that joins gets the answer of the run it joined, as one joining a shared
 * subgraph request does: nothing older than an operation in flight. Never for mutations or subscriptions.
 * The requests that joined get the answer one per event-loop turn: sending an answer costs each of them
 * Apollo Server's pipeline and a socket write, and without the turns no new request would be read (and
 * start the next run) until all of them had been sent, which kept every client in one lock-step group.
 */
export interface OperationSharing {
  /** The answer of the run in flight under `key`, or of `execute`, which then serves later identical ones. */
  run(key: string, context: GatewayContext, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult>;
  /**
   * Apollo Server's `stringifyResult`: the same bytes as its own (`JSON.stringify` plus a newline), with
   * the `data` of an answer served to several requests stringified once.
   */
  stringifyResult(value: { readonly errors?: unknown; readonly data?: unknown; readonly extensions?: unknown }): string;
}

interface SharedRun {
  readonly answer: Promise<ExecutionResult>;
  /** Settles when the latest request that joined may have the answer: one per event-loop turn. */
  turns: Promise<void>;
  /** The first run's context: where the subgraph client reported the stale entries its answers came from. */
  readonly context: GatewayContext;
  joined: number;
}

const noop = () => {};
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createOperationSharing(): OperationSharing {
  const inFlight = new Map<string, SharedRun>();
  // The answers' data served to more than one request, and its JSON once a first request has sent it.
  const sharedData = new WeakMap<object, string | undefined>();

  const join = async (shared: SharedRun, context: GatewayContext): Promise<ExecutionResult> => {
    const turn = (shared.turns = shared.turns.then(nextTurn));
    const result = await shared.answer;
    await turn;
    const stale = shared.context.stale;
    if (stale && stale.length > 0) context.stale?.push(...stale);
    // Apollo Server keeps the result's fields as they are (its response gets new objects around them).
    return { ...result };
  };

  return {
    run(key, context, execute) {
      const shared = inFlight.get(key);
      if (shared) {
        shared.joined++;
        return join(shared, context);
      }
      const answer = execute();
      const run: SharedRun = { answer, turns: answer.then(noop, noop), context, joined: 0 };
      inFlight.set(key, run);
      // Registered before anyone awaits the answer: no one joins once it is in, and its data is marked
      // shared before any of its requests is stringified.
      run.answer.then(
        (result) => {
          inFlight.delete(key);
          if (run.joined > 0 && typeof result.data === 'object' && result.data !== null) sharedData.set(result.data, undefined);
        },
        () => inFlight.delete(key),
      );
      return run.answer;
    },

    stringifyResult(value) {
      const data = value.data;
      if (typeof data !== 'object' || data === null || !sharedData.has(data)) return `${JSON.stringify(value)}\n`;
      let json = sharedData.get(data);
      if (json === undefined) {
        json = JSON.stringify(data);
        sharedData.set(data, json);
      }
      // Apollo Server's field order (errors, data, extensions); absent ones left out, as JSON.stringify does.
      const errors = value.errors === undefined ? '' : `"errors":${JSON.stringify(value.errors)},`;
      const extensions = value.extensions === undefined ? '' : `,"extensions":${JSON.stringify(value.extensions)}`;
      return `{${errors}"data":${json}${extensions}}\n`;
    },
  };
}
