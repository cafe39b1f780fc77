import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../../gateway/config.ts';
import { gatewayOptionsFromConfig } from '../../gateway/options-from-config.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { readConfig } from '../../kit/config.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { collect, wsClient } from '../support/ws-client.ts';

/**
 * Progressive `@override` (Federation 2.7): `price` moves from subgraph a to b for 25% of requests
 * (`percent(25)`), `name` for the requests its custom label `use-b` is on for. Each subgraph answers with
 * its own values, so every answer says which subgraph resolved each field.
 */
const link = (imports: readonly string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports.map((name) => JSON.stringify(name)).join(', ')}])\n`;
const A = `${link(['@key'])}type Query { products: [Product!]! } type Product @key(fields: "id") { id: ID! price: Int name: String }`;
const B = `${link(['@key', '@override'])}type Product @key(fields: "id") { id: ID! price: Int @override(from: "a", label: "percent(25)") name: String @override(from: "a", label: "use-b") }`;
const QUERY = '{ products { id price name } }';

const closers: (() => Promise<void>)[] = [];
const requests = { a: 0, b: 0 };
let supergraphSdl: string;

beforeAll(async () => {
  const start = async (name: 'a' | 'b', typeDefs: string, resolvers: Record<string, unknown>) => {
    const server = new ApolloServer({
      schema: buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: resolvers as never }]),
      plugins: [ApolloServerPluginInlineTraceDisabled(), { requestDidStart: async () => void requests[name]++ }],
    });
    const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
    closers.push(() => server.stop());
    return url;
  };
  const product = (id: string, price: number, name: string) => ({ id, price, name });
  const aUrl = await start('a', A, {
    Query: { products: () => [product('1', 100, 'one (a)'), product('2', 200, 'two (a)')] },
    Product: { __resolveReference: ({ id }: { id: string }) => product(id, Number(id) * 100, `${id} (a)`) },
  });
  const bUrl = await start('b', B, {
    Product: { __resolveReference: ({ id }: { id: string }) => ({ id, price: Number(id) * 100 + 1, name: `${id} (b)` }) },
  });
  const composed = composeServices([
    { name: 'a', url: aUrl, typeDefs: parse(A) },
    { name: 'b', url: bUrl, typeDefs: parse(B) },
  ]);
  if (!composed.supergraphSdl) throw new Error(`does not compose: ${composed.errors?.map((error) => error.message).join('; ')}`);
  supergraphSdl = composed.supergraphSdl;
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function startWith(options: {
  overrideLabels?: readonly string[];
  requestOverrideLabels?: readonly string[];
  overrideRandom?: () => number;
  shareOperations?: boolean;
  responseCacheTtlSeconds?: number;
}): Promise<RunningGateway> {
  const { gateway, close } = await startGatewayFor(supergraphSdl, { accessRules: { Query: { products: publicAccess } }, shareOperations: false, ...options });
  closers.push(close);
  return gateway;
}

type Products = { products: { id: string; price: number; name: string }[] };

/** Which subgraph answered `price` and `name` of the first product. */
function sourcesOf(data: Products | null | undefined): { price: string; name: string } {
  const [first] = data!.products;
  return { price: first!.price % 100 === 1 ? 'b' : 'a', name: first!.name.endsWith('(b)') ? 'b' : 'a' };
}

async function sources(gateway: RunningGateway, headers: Record<string, string> = {}): Promise<{ price: string; name: string }> {
  const response = await postGraphQL<Products>(gateway.url, QUERY, undefined, headers);
  expect(response.body.errors).toBeUndefined();
  return sourcesOf(response.body.data);
}

describe('progressive @override', () => {
  it('moves a percent(25) field for the requests whose draw falls below 25%, whichever outcome was planned first', async () => {
    // Draws of 10%, 30%, 24.9%, 90% and 10% again: the field comes from b, a, b, a, b.
    const draws = [0.1, 0.3, 0.249, 0.9, 0.1];
    const gateway = await startWith({ overrideRandom: () => draws.shift() ?? 0.99 });
    const before = { ...requests };
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await sources(gateway));
    expect(answers.map((answer) => answer.price)).toEqual(['b', 'a', 'b', 'a', 'b']);
    // The custom label is off unless configured.
    expect(answers.map((answer) => answer.name)).toEqual(['a', 'a', 'a', 'a', 'a']);
    // b is called only when it resolves price (an entity fetch), a every time.
    expect({ a: requests.a - before.a, b: requests.b - before.b }).toEqual({ a: 5, b: 3 });
  });

  it('turns a custom label on for every request when GATEWAY_OVERRIDE_LABELS names it', async () => {
    const config = readConfig(gatewayConfigSchema, { NODE_ENV: 'test', GATEWAY_OVERRIDE_LABELS: 'use-b,not-in-this-supergraph' });
    const { overrideLabels } = gatewayOptionsFromConfig(config);
    expect(overrideLabels).toEqual(['use-b', 'not-in-this-supergraph']);
    const gateway = await startWith({ overrideLabels, overrideRandom: () => 0.99 });
    expect(await sources(gateway)).toEqual({ price: 'a', name: 'b' });
    expect(await sources(gateway)).toEqual({ price: 'a', name: 'b' });
  });

  it('turns a custom label on for the requests that ask for it in x-override-labels, when GATEWAY_OVERRIDE_REQUEST_LABELS allows it', async () => {
    const config = readConfig(gatewayConfigSchema, { NODE_ENV: 'test', GATEWAY_OVERRIDE_REQUEST_LABELS: 'use-b' });
    const { requestOverrideLabels } = gatewayOptionsFromConfig(config);
    expect(requestOverrideLabels).toEqual(['use-b']);
    const gateway = await startWith({ requestOverrideLabels, overrideRandom: () => 0.99 });
    const before = { ...requests };
    expect(await sources(gateway)).toEqual({ price: 'a', name: 'a' });
    expect(await sources(gateway, { 'x-override-labels': 'use-b' })).toEqual({ price: 'a', name: 'b' });
    // Names it does not allow (or that do not exist) are ignored; the ones it allows still count.
    expect(await sources(gateway, { 'x-override-labels': 'beta, use-b ,percent(25)' })).toEqual({ price: 'a', name: 'b' });
    expect(await sources(gateway, { 'x-override-labels': 'beta' })).toEqual({ price: 'a', name: 'a' });
    expect(await sources(gateway)).toEqual({ price: 'a', name: 'a' });
    // b only for the two requests that turned use-b on.
    expect({ a: requests.a - before.a, b: requests.b - before.b }).toEqual({ a: 5, b: 2 });

    // Over graphql-ws, from connectionParams (a browser cannot set a WebSocket's headers).
    const client = wsClient(gateway.url.replace(/^http/, 'ws'), { connectionParams: { 'x-override-labels': 'use-b' } });
    try {
      const [result] = await collect(client, QUERY);
      expect(sourcesOf(result!.data as Products)).toEqual({ price: 'a', name: 'b' });
    } finally {
      await client.dispose();
    }
  });

  it('ignores x-override-labels unless GATEWAY_OVERRIDE_REQUEST_LABELS allows the label', async () => {
    const gateway = await startWith({ overrideRandom: () => 0.99 });
    expect(await sources(gateway, { 'x-override-labels': 'use-b' })).toEqual({ price: 'a', name: 'a' });
  });

  it('never gives a request an answer shared or cached for another set of labels', async () => {
    const gateway = await startWith({ requestOverrideLabels: ['use-b'], overrideRandom: () => 0.99, shareOperations: true, responseCacheTtlSeconds: 60 });
    // At the same moment (operations in flight are shared), then again (from the response cache).
    for (let round = 0; round < 2; round++) {
      const [plain, labelled] = await Promise.all([sources(gateway), sources(gateway, { 'x-override-labels': 'use-b' })]);
      expect(plain).toEqual({ price: 'a', name: 'a' });
      expect(labelled).toEqual({ price: 'a', name: 'b' });
    }
  });

  it('uses Math.random by default: about a quarter of 200 requests get the override', async () => {
    const gateway = await startWith({});
    let fromB = 0;
    for (let i = 0; i < 200; i++) if ((await sources(gateway)).price === 'b') fromB++;
    // Binomial(200, 0.25): mean 50, standard deviation 6.1; 20..80 is about five deviations either side.
    expect(fromB).toBeGreaterThan(20);
    expect(fromB).toBeLessThan(80);
  });
});
