import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse, GraphQLError, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperationSharing } from '../../gateway/engine/operation-sharing.ts';
import type { GatewayContext } from '../../gateway/execute/gateway-context.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { ANONYMOUS_CALLER } from '../../kit/access/principal.ts';
import { silentLogger } from '../../kit/logger.ts';
import { fed } from '../differential/harness.ts';
import { eventually } from '../support/eventually.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { authorization } from '../support/tokens.ts';

const ITEMS = fed(['@key'], 'type Query { item(id: ID!): Item } type Mutation { touch: Int! } type Item @key(fields: "id") { id: ID! name: String! }');
const DETAILS = fed(['@key'], 'type Item @key(fields: "id") { id: ID! detail: String! }');
const QUERY = 'query Item($id: ID!) { item(id: $id) { id name detail } }';

// What the subgraphs ran: the first step of the plan (items), its second (details, slow), and mutations.
const reads = { items: 0, details: 0, touches: 0 };
const closers: (() => Promise<void>)[] = [];
let shared: string;
let unshared: string;

beforeAll(async () => {
  const items = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(ITEMS),
        resolvers: {
          Query: { item: (_: unknown, { id }: { id: string }) => (reads.items++, { id, name: `item ${id}` }) },
          Mutation: { touch: () => new Promise((resolve) => setTimeout(() => resolve(++reads.touches), 200)) },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const details = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(DETAILS),
        // Slow, so that a second request arrives while the first waits for this step (its first step done).
        resolvers: { Item: { __resolveReference: ({ id }: { id: string }) => (reads.details++, new Promise((resolve) => setTimeout(() => resolve({ id, detail: `detail ${id}` }), 400))) } },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const itemsUrl = (await startStandaloneServer(items, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => items.stop());
  const detailsUrl = (await startStandaloneServer(details, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => details.stop());
  const composed = composeServices([
    { name: 'items', url: itemsUrl, typeDefs: parse(ITEMS) },
    { name: 'details', url: detailsUrl, typeDefs: parse(DETAILS) },
  ]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const accessRules = { Query: { item: publicAccess }, Mutation: { touch: publicAccess } };
  for (const shareOperations of [true, false]) {
    const started = await startGatewayFor(composed.supergraphSdl, { accessRules, shareOperations });
    closers.push(() => started.close());
    if (shareOperations) shared = started.gateway.url;
    else unshared = started.gateway.url;
  }
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** The raw answer: the bytes a client gets. */
async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, text: await response.text() };
}

/** A first request, and a second one sent once the first is waiting for its slow second step. */
type Request = [query: string, variables: Record<string, unknown>, headers: Record<string, string>];
async function secondWhileFirstWaits(url: string, first: Request, second: Request) {
  const detailsBefore = reads.details;
  const one = post(url, ...first);
  await eventually(() => (reads.details > detailsBefore ? true : undefined), 'the first request to wait for its second step');
  return Promise.all([one, post(url, ...second)]);
}

describe('identical operations in flight (GATEWAY_SHARE_OPERATIONS)', () => {
  it('runs a query once for requests of one caller that overlap, and each gets the same bytes', async () => {
    const ada = await authorization({ sub: 'ada' });
    const before = { ...reads };
    const [one, two] = await secondWhileFirstWaits(shared, [QUERY, { id: '1' }, ada], [QUERY, { id: '1' }, ada]);
    expect(one).toEqual({ status: 200, text: '{"data":{"item":{"id":"1","name":"item 1","detail":"detail 1"}}}\n' });
    expect(two).toEqual(one);
    // The second joined the run in flight: its first step was not asked again, though no longer in flight.
    expect([reads.items - before.items, reads.details - before.details]).toEqual([1, 1]);
  });

  it('runs it again when that is switched off: the first step is no longer in flight to share', async () => {
    const ada = await authorization({ sub: 'ada' });
    const before = { ...reads };
    const [one, two] = await secondWhileFirstWaits(unshared, [QUERY, { id: '1' }, ada], [QUERY, { id: '1' }, ada]);
    expect(two).toEqual(one);
    expect(reads.items - before.items).toBe(2);
  });

  it('never shares between callers, or between different variables', async () => {
    const [ada, grace] = await Promise.all([authorization({ sub: 'ada' }), authorization({ sub: 'grace' })]);
    let before = { ...reads };
    await secondWhileFirstWaits(shared, [QUERY, { id: '1' }, ada], [QUERY, { id: '1' }, grace]);
    expect(reads.items - before.items).toBe(2);
    before = { ...reads };
    const [one, two] = await secondWhileFirstWaits(shared, [QUERY, { id: '1' }, ada], [QUERY, { id: '2' }, ada]);
    expect(reads.items - before.items).toBe(2);
    expect(JSON.parse(two.text)).toEqual({ data: { item: { id: '2', name: 'item 2', detail: 'detail 2' } } });
    expect(one.text).not.toEqual(two.text);
  });

  it('never shares mutations', async () => {
    const ada = await authorization({ sub: 'ada' });
    const before = reads.touches;
    const answers = await Promise.all([post(shared, 'mutation { touch }', {}, ada), post(shared, 'mutation { touch }', {}, ada)]);
    expect(reads.touches - before).toBe(2);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(2);
  });
});

describe('createOperationSharing', () => {
  const contextOf = (): GatewayContext => ({ requestId: 'r', caller: ANONYMOUS_CALLER, logger: silentLogger, stale: [] });
  const report = { provider: 'stripe', kind: 'customer', id: 'cus_1', since: '2026-12-06T00:00:00.000Z' };

  it('gives a request that joins the stale entries the run it joined was served from', async () => {
    const sharing = createOperationSharing();
    const [first, second] = [contextOf(), contextOf()];
    let runs = 0;
    const execute = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      first.stale?.push(report);
      return { data: { a: 1 } };
    };
    const answers = await Promise.all([sharing.run('k', first, execute), sharing.run('k', second, execute)]);
    expect(runs).toBe(1);
    expect(answers).toEqual([{ data: { a: 1 } }, { data: { a: 1 } }]);
    expect(second.stale).toEqual([report]);
    // Once answered, the next one runs again.
    await sharing.run('k', contextOf(), execute);
    expect(runs).toBe(2);
  });

  it('hands the answer to the requests that joined one per event-loop turn, so that I/O (new requests) comes in between', async () => {
    const sharing = createOperationSharing();
    // Counts event-loop turns: one step per turn (an immediate queued in a turn runs in the next one).
    let turn = 0;
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    let answer!: (result: ExecutionResult) => void;
    const execute = () => new Promise<ExecutionResult>((resolve) => (answer = resolve));
    const turns = await Promise.all(
      ['first', 'joined', 'joined too'].map(async () => {
        await sharing.run('k', contextOf(), execute);
        return turn;
      }).concat([new Promise<number>((resolve) => setImmediate(() => (answer({ data: {} }), resolve(-1))))]),
    );
    counting = false;
    const [first, second, third] = turns;
    expect(second).toBeGreaterThan(first!);
    expect(third).toBeGreaterThan(second!);
  });

  it("stringifies a shared answer to Apollo Server's own bytes, whatever else each response carries", async () => {
    const sharing = createOperationSharing();
    const execute = async () => ({ data: { list: [1, 'two', null, { nested: true }] } });
    const [one, two] = await Promise.all([sharing.run('k', contextOf(), execute), sharing.run('k', contextOf(), execute)]);
    expect(one.data).toBe(two.data);
    const errors = [new GraphQLError('refused', { path: ['list'], extensions: { code: 'FORBIDDEN' } }).toJSON()];
    for (const value of [
      { data: one.data },
      { errors, data: one.data },
      { data: two.data, extensions: { stale: [report] } },
      { errors, data: two.data, extensions: { stale: [report] } },
      { errors: undefined, data: one.data, extensions: undefined },
      { data: { not: 'shared' } },
      { errors },
    ]) {
      expect(sharing.stringifyResult(value)).toBe(`${JSON.stringify(value)}\n`);
    }
  });
});
