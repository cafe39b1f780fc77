import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { GraphQLError, graphql, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { fed } from '../differential/harness.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { collect, wsClient } from '../support/ws-client.ts';

/** A shop that is not ours: its errors are part of its API, and clients switch on their codes. */
const SHOP = fed(
  ['@key'],
  /* GraphQL */ `
    type Product @key(fields: "sku") {
      sku: ID!
      name: String!
      reserve: String
    }
    type Query {
      product(sku: ID!): Product
      inStock: String
      crash: String
    }
  `,
);
const REVIEWS = fed(['@key'], 'type Query { topReview: String }');
const PLAIN = fed([], 'type Query { noCode: String }');

/**
 * A subgraph served by graphql-js alone, as many non-Apollo servers do: its errors carry no code at all
 * (Apollo Server would have labelled them INTERNAL_SERVER_ERROR).
 */
function servePlainSubgraph(): Promise<{ url: string; close(): Promise<void> }> {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(PLAIN),
      resolvers: {
        Query: {
          noCode: () => {
            throw new GraphQLError('Nothing to say');
          },
        },
      },
    },
  ]);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      void Promise.resolve(graphql({ schema, source: body.query, variableValues: body.variables ?? null })).then((result) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(result));
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/graphql`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

const closers: (() => Promise<void>)[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  const shop = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(SHOP),
        resolvers: {
          Query: {
            product: (_: unknown, { sku }: { sku: string }) => ({ sku, name: `Product ${sku}` }),
            inStock: () => {
              throw new GraphQLError('Out of stock', { extensions: { code: 'OUT_OF_STOCK', sku: 'abc', retryable: false } });
            },
            crash: () => {
              throw new Error('boom');
            },
          },
          Product: {
            reserve: ({ sku }: { sku: string }) => {
              throw new GraphQLError(`Cannot reserve ${sku}`, { extensions: { code: 'RESERVATION_CLOSED' } });
            },
          },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // Development mode: Apollo adds a stack trace to every error, which must never reach the gateway's clients.
    includeStacktraceInErrorResponses: true,
  });
  const shopUrl = (await startStandaloneServer(shop, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => shop.stop());
  const reviews = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(REVIEWS), resolvers: { Query: { topReview: () => 'Great' } } }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const reviewsUrl = (await startStandaloneServer(reviews, { listen: { host: '127.0.0.1', port: 0 } })).url;
  closers.push(() => reviews.stop());
  const plain = await servePlainSubgraph();
  closers.push(() => plain.close());

  const composed = composeServices([
    { name: 'shop', url: shopUrl, typeDefs: parse(SHOP) },
    { name: 'reviews', url: reviewsUrl, typeDefs: parse(REVIEWS) },
    { name: 'plain', url: plain.url, typeDefs: parse(PLAIN) },
  ]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const started = await startGatewayFor(composed.supergraphSdl, {
    production: true,
    accessRules: { Query: { product: publicAccess, inStock: publicAccess, noCode: publicAccess, crash: publicAccess, topReview: publicAccess } },
  });
  gateway = started.gateway;
  closers.push(() => started.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe("a subgraph's own GraphQL errors", () => {
  it('reach the client with their message, code and extensions, at their path, next to the other subgraphs\' data', async () => {
    const response = await postGraphQL(gateway.url, '{ topReview inStock }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ topReview: 'Great', inStock: null });
    expect(response.body.errors).toEqual([{ message: 'Out of stock', path: ['inStock'], extensions: { code: 'OUT_OF_STOCK', sku: 'abc', retryable: false } }]);
  });

  it('keep their code inside a nested field, on the client path (aliases included)', async () => {
    const response = await postGraphQL(gateway.url, '{ item: product(sku: "p1") { name hold: reserve } }');
    expect(response.body.data).toEqual({ item: { name: 'Product p1', hold: null } });
    expect(response.body.errors).toEqual([{ message: 'Cannot reserve p1', path: ['item', 'hold'], extensions: { code: 'RESERVATION_CLOSED' } }]);
  });

  it('get SUBGRAPH_ERROR when the subgraph gave no code, so every error carries one', async () => {
    const response = await postGraphQL(gateway.url, '{ noCode }');
    expect(response.body.errors).toEqual([{ message: 'Nothing to say', path: ['noCode'], extensions: { code: 'SUBGRAPH_ERROR' } }]);
  });

  it("never carry the subgraph's stack trace", async () => {
    const response = await postGraphQL(gateway.url, '{ crash }');
    const [error] = response.body.errors ?? [];
    expect(error?.path).toEqual(['crash']);
    expect(error?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response.body)).not.toContain('stacktrace');
  });

  it('are passed through the same way over WebSocket', async () => {
    const client = wsClient(gateway.wsUrl);
    try {
      const [result] = await collect(client, '{ topReview inStock }');
      expect(result?.data).toEqual({ topReview: 'Great', inStock: null });
      expect(result?.errors).toEqual([{ message: 'Out of stock', path: ['inStock'], extensions: { code: 'OUT_OF_STOCK', sku: 'abc', retryable: false } }]);
    } finally {
      await client.dispose();
    }
  });
});
