import type { PlanNode } from '@graphql-hive/router-query-planner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlanNode, type PlanState } from '../../gateway/engine/plan-executor.ts';
import type { SubgraphCall } from '../../gateway/engine/subgraph-request.ts';
import { createLogger } from '../../kit/logger.ts';
import { startPathServer, type PathServer } from '../support/path-server.ts';

const rootFetch = (serviceName: string, field: string): PlanNode => ({ kind: 'Fetch', serviceName, operation: `{${field}}`, operationKind: 'query' }) as PlanNode;

/**
 * A Parallel node's branches, each a subgraph called in process: its pipeline runs in promise jobs up to the
 * provider request it makes (real HTTP, to a server of this test).
 */
describe("a Parallel node's branches", () => {
  let server: PathServer;
  beforeAll(async () => {
    const field = (path: string) => path.slice(1);
    server = await startPathServer((path) => JSON.stringify({ data: { [field(path)]: field(path) } }));
  });
  afterAll(() => server.close());
  const providerRequest = (field: string) => server.get(`/${field}`);

  const state = (): PlanState => ({
    data: {},
    errors: [],
    variables: {},
    context: { requestId: 'parallel-test', caller: { kind: 'anonymous' }, logger: createLogger({ level: 'silent', name: 'test' }) },
    clientOperationName: undefined,
    renames: [],
    unfilled: [],
    covered: [],
  });

  const recordingCall = (events: string[]): SubgraphCall => async (serviceName, { query }) => {
    events.push(`start ${serviceName}`);
    for (let job = 0; job < 30; job++) await Promise.resolve();
    events.push(`provider request ${serviceName}`);
    return JSON.parse(await providerRequest(query.slice(1, -1))) as { data: Record<string, unknown> };
  };

  it('called in process start one after another, each once the one before has gone out to its provider', async () => {
    const events: string[] = [];
    const run = state();
    await executePlanNode({ kind: 'Parallel', nodes: [rootFetch('twitter', 'x'), rootFetch('github', 'g'), rootFetch('stripe', 's')] } as PlanNode, run, {
      call: recordingCall(events),
      matches: () => true,
      inProcess: () => true,
    });
    expect(run.data).toEqual({ x: 'x', g: 'g', s: 's' });
    // Started together, the three pipelines would interleave and none would reach its provider before all had.
    expect(events).toEqual(['start twitter', 'provider request twitter', 'start github', 'provider request github', 'start stripe', 'provider request stripe']);
  });

  it('over HTTP start together (each fetch is written at once; waiting would only delay the next)', async () => {
    const events: string[] = [];
    const run = state();
    await executePlanNode({ kind: 'Parallel', nodes: [rootFetch('twitter', 'x'), rootFetch('github', 'g')] } as PlanNode, run, { call: recordingCall(events), matches: () => true, inProcess: () => false });
    expect(run.data).toEqual({ x: 'x', g: 'g' });
    expect(events.slice(0, 2)).toEqual(['start twitter', 'start github']);
  });
});
