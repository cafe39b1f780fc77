import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { GraphQLError, GraphQLScalarType, Kind, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicAccess } from '../../kit/access/access.ts';
import { createLogger } from '../../kit/logger.ts';
import { fed } from '../differential/harness.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startGatewayFor } from '../support/test-gateway.ts';

/** What the shop subgraph serves… */
const SERVED = fed(['@key'], 'scalar Stamp type Product @key(fields: "sku") { sku: ID! name: String! } type Query { product: Product greeting: String openAt(when: Stamp!): String! }');
/** …and what the supergraph says it serves: edited by hand, or composed before the subgraph dropped `price`. */
const CLAIMED = fed(['@key'], 'scalar Stamp type Product @key(fields: "sku") { sku: ID! name: String! price: Int } type Query { product: Product greeting: String openAt(when: Stamp!): String! }');

/** Only the subgraph reads Stamp: the supergraph passes any literal through. */
const Stamp = new GraphQLScalarType({
  name: 'Stamp',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) throw new GraphQLError('Stamp must be an ISO-8601 string');
    return ast.value;
  },
});

const logLines: { level: number; msg: string; subgraph?: string; reason?: string }[] = [];
const closers: (() => Promise<void>)[] = [];
let url: string;

beforeAll(async () => {
  const shop = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(SERVED), resolvers: { Stamp, Query: { product: () => ({ sku: 'p1', name: 'Lamp' }), greeting: () => 'hello', openAt: () => 'open' } } }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const shopUrl = (await startStandaloneServer(shop, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => shop.stop());
  const composed = composeServices([{ name: 'shop', url: shopUrl, typeDefs: parse(CLAIMED) }]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(String(chunk)) as (typeof logLines)[number]);
      done();
    },
  });
  const started = await startGatewayFor(composed.supergraphSdl, {
    logger: createLogger({ level: 'info', name: 'test', destination }),
    accessRules: { Query: { product: publicAccess, greeting: publicAccess, openAt: publicAccess } },
  });
  url = started.gateway.url;
  closers.push(() => started.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

beforeEach(() => {
  logLines.length = 0;
});

const refusals = () => logLines.filter((line) => line.msg.startsWith('subgraph refused the query planned for it'));

describe('a supergraph that no longer matches its subgraph', () => {
  it("gives the client the subgraph's refusal and tells the operator the supergraph is out of date, naming the subgraph", async () => {
    const response = await postGraphQL(url, '{ product { name price } }');
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([expect.objectContaining({ message: 'Cannot query field "price" on type "Product".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(refusals()).toEqual([expect.objectContaining({ level: 40, subgraph: 'shop', reason: 'Cannot query field "price" on type "Product".' })]);
    expect(refusals()[0]!.msg).toContain('supergraph does not match the schema the subgraph serves');
  });

  it("gives the client the subgraph's refusal of a custom scalar's literal, alone, and does not blame the supergraph", async () => {
    const response = await postGraphQL(url, '{ openAt(when: "garbage") }');
    // Only the subgraph's error: the null it leaves in a non-null field needs no second error.
    expect(response.body).toEqual({ data: null, errors: [{ message: 'Stamp must be an ISO-8601 string', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(refusals()).toEqual([]);
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('says nothing about operations the subgraph still serves', async () => {
    const response = await postGraphQL(url, '{ greeting product { name } }');
    expect(response.body).toEqual({ data: { greeting: 'hello', product: { name: 'Lamp' } } });
    expect(refusals()).toEqual([]);
  });
});
