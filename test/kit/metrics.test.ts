import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSchema, execute, GraphQLError, subscribe as graphqlSubscribe, type GraphQLFieldResolver, type GraphQLObjectType } from 'graphql';
import WebSocket from 'ws';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { metricsPlugin } from '../../gateway/metrics-plugin.ts';
import { metricsRoute } from '../../gateway/metrics-route.ts';
import type { PlanEngine } from '../../gateway/engine/plan-engine.ts';
import { attachWebSocketTransport } from '../../gateway/transport/websocket.ts';
import { silentLogger } from '../../kit/logger.ts';
import { createMetrics, type BreakerStateName, type Metrics } from '../../kit/metrics.ts';
import { ANONYMOUS_CALLER } from '../../kit/access/principal.ts';
import { createWebhookPipeline, WebhookVerificationError } from '../../kit/webhooks/webhook-pipeline.ts';
import { subscribe, wsClient } from '../support/ws-client.ts';
import { createOperationPreparer } from '../../gateway/transport/prepare-operation.ts';
import { schemaDetails } from '../../gateway/schema-details.ts';

/** The value of one labelled series (0 when it has never been touched). */
async function valueOf(metric: Counter<string> | Gauge<string>, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && Object.keys(v.labels).length === Object.keys(labels).length);
  return match?.value ?? 0;
}

/** How many observations a histogram series holds. */
async function observations(metric: Histogram<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await metric.get();
  const count = values.find((v) => v.metricName?.endsWith('_count') && Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return count?.value ?? 0;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Resolvers = Record<string, Record<string, GraphQLFieldResolver<unknown, unknown> | { subscribe: GraphQLFieldResolver<unknown, unknown> }>>;

/** A schema from SDL with resolvers attached (no dependency beyond graphql itself). */
function makeExecutableSchemaFromSdl(sdl: string, resolvers: Resolvers) {
  const schema = buildSchema(sdl);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolver] of Object.entries(fields)) {
      const field = type.getFields()[fieldName]!;
      if (typeof resolver === 'function') field.resolve = resolver;
      else field.subscribe = resolver.subscribe;
    }
  }
  return schema;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function listenOnFreePort(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('createMetrics', () => {
  it('registers every instrument under its fgw_ name and labels, in its own registry', async () => {
    const metrics = createMetrics();
    metrics.recordOperation({ name: 'Products', type: 'query', seconds: 0.012 });
    metrics.recordOperation({ name: 'Pay', type: 'mutation', errorCode: 'FORBIDDEN', seconds: 0.3 });
    metrics.timeUpstream('stripe', 'customers.list')(200);
    metrics.recordCacheLookup('github', 'user', 'hit');
    metrics.setBreakerState('twitter', 'closed');
    metrics.setBreakerState('twitter', 'open');
    metrics.setQuotaRemaining('github', 'graphql', 4999);
    metrics.recordWebhook('stripe', 'received');
    metrics.openSubscriptions.inc();
    metrics.recordResponseCache('hit');

    const text = await metrics.registry.metrics();
    for (const [name, type] of [
      ['fgw_operations_total', 'counter'],
      ['fgw_operation_duration_seconds', 'histogram'],
      ['fgw_upstream_calls_total', 'counter'],
      ['fgw_upstream_duration_seconds', 'histogram'],
      ['fgw_cache_lookups_total', 'counter'],
      ['fgw_breaker_state', 'gauge'],
      ['fgw_breaker_transitions_total', 'counter'],
      ['fgw_provider_quota_remaining', 'gauge'],
      ['fgw_webhooks_total', 'counter'],
      ['fgw_open_subscriptions', 'gauge'],
      ['fgw_response_cache_total', 'counter'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(text).toContain('fgw_operations_total{operation="Products",type="query",outcome="ok"} 1');
    expect(text).toContain('fgw_operations_total{operation="Pay",type="mutation",outcome="FORBIDDEN"} 1');
    expect(text).toContain('fgw_operation_duration_seconds_bucket{le="0.001",operation="Products",type="query"} 0');
    expect(text).toContain('fgw_operation_duration_seconds_bucket{le="10",operation="Pay",type="mutation"} 1');
    expect(text).toContain('fgw_operation_duration_seconds_count{operation="Products",type="query"} 1');
    expect(text).toContain('fgw_upstream_calls_total{provider="stripe",operation="customers.list",status="200"} 1');
    expect(text).toContain('fgw_upstream_duration_seconds_count{provider="stripe",operation="customers.list"} 1');
    expect(text).toContain('fgw_cache_lookups_total{provider="github",kind="user",result="hit"} 1');
    expect(text).toContain('fgw_breaker_state{provider="twitter"} 2');
    expect(text).toContain('fgw_breaker_transitions_total{provider="twitter",to="open"} 1');
    expect(text).toContain('fgw_provider_quota_remaining{provider="github",resource="graphql"} 4999');
    expect(text).toContain('fgw_webhooks_total{provider="stripe",result="received"} 1');
    expect(text).toContain('fgw_open_subscriptions 1');
    // No default metrics unless asked for.
    expect(text).not.toContain('process_cpu_user_seconds_total');

    // Another stack in the same process starts from zero and does not collide.
    const other = createMetrics();
    expect(await valueOf(other.operations, { operation: 'Products', type: 'query', outcome: 'ok' })).toBe(0);
    expect(await valueOf(other.openSubscriptions)).toBe(0);
  });

  it('adds Node default metrics to its own registry when asked, twice in one process', async () => {
    const a = createMetrics({ collectDefault: true });
    const b = createMetrics({ collectDefault: true });
    expect(await a.registry.metrics()).toContain('process_cpu_user_seconds_total');
    expect(await b.registry.metrics()).toContain('nodejs_heap_size_total_bytes');
  });

  it('caps distinct operation names: the first ones seen keep their name, later ones count as other', async () => {
    const metrics = createMetrics({ maxOperationNames: 3 });
    for (const name of ['A', 'B', 'C', 'D', 'E', 'A', undefined, null, '']) metrics.recordOperation({ name, type: 'query' });
    const count = (operation: string) => valueOf(metrics.operations, { operation, type: 'query', outcome: 'ok' });
    expect([await count('A'), await count('B'), await count('C'), await count('other'), await count('anonymous')]).toEqual([2, 1, 1, 2, 3]);
    expect(await count('D')).toBe(0);

    const defaults = createMetrics();
    for (let i = 0; i < 250; i++) defaults.recordOperation({ name: `Op${i}`, type: 'query' });
    const { values } = await defaults.operations.get();
    expect(values).toHaveLength(201);
    expect(values.find((v) => v.labels.operation === 'other')?.value).toBe(50);
    // A very long name is cut, so one label value cannot be arbitrarily large.
    expect(defaults.operationLabel('x'.repeat(10_000))).toBe('other');
    expect(createMetrics().operationLabel('x'.repeat(10_000))).toHaveLength(100);
  });

  it('times an upstream call once, and follows a breaker', async () => {
    const metrics = createMetrics();
    const stop = metrics.timeUpstream('github', 'graphql');
    stop('ok');
    stop('ok');
    expect(await valueOf(metrics.upstreamCalls, { provider: 'github', operation: 'graphql', status: 'ok' })).toBe(1);
    expect(await observations(metrics.upstreamDuration, { provider: 'github', operation: 'graphql' })).toBe(1);

    let listener: (state: BreakerStateName) => void = () => {};
    metrics.watchBreaker('stripe', { state: () => 'closed', onStateChange: (l) => (listener = l) });
    expect(await valueOf(metrics.breakerState, { provider: 'stripe' })).toBe(0);
    listener('open');
    listener('half-open');
    expect(await valueOf(metrics.breakerState, { provider: 'stripe' })).toBe(1);
    listener('closed');
    expect(await valueOf(metrics.breakerState, { provider: 'stripe' })).toBe(0);
    expect(await valueOf(metrics.breakerTransitions, { provider: 'stripe', to: 'open' })).toBe(1);
    expect(await valueOf(metrics.breakerTransitions, { provider: 'stripe', to: 'half-open' })).toBe(1);
    expect(await valueOf(metrics.breakerTransitions, { provider: 'stripe', to: 'closed' })).toBe(1);
  });
});

describe('GET /metrics', () => {
  it('answers the registry in Prometheus text format over HTTP', async () => {
    const metrics = createMetrics();
    metrics.recordWebhook('github', 'processed');
    const app = express();
    app.get('/metrics', metricsRoute(metrics.registry));
    const port = await listenOnFreePort(createServer(app));
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('# HELP fgw_webhooks_total');
    expect(body).toContain('fgw_webhooks_total{provider="github",result="processed"} 1');
  });
});

const typeDefs = /* GraphQL */ `
  type Query {
    hello: String
    secret: String
  }
  type Mutation {
    pay: Boolean
  }
  type Subscription {
    ticks: Int
  }
`;

describe('metricsPlugin', () => {
  async function startApollo(metrics: Metrics) {
    const schema = makeExecutableSchemaFromSdl(typeDefs, {
      Query: {
        hello: () => 'world',
        secret: () => {
          throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
        },
      },
      Mutation: {
        pay: () => {
          throw new GraphQLError('Provider down', { extensions: { code: 'PROVIDER_UNAVAILABLE' } });
        },
      },
    });
    const apollo = new ApolloServer({ schema, plugins: [metricsPlugin(metrics)] });
    await apollo.start();
    cleanups.push(() => apollo.stop());
    const app = express();
    app.use(
      '/graphql',
      express.json(),
      expressMiddleware(apollo, {
        context: async ({ req }) => {
          if (req.headers.authorization === 'Bearer bad') {
            throw new GraphQLError('Invalid token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          }
          return {};
        },
      }),
    );
    const port = await listenOnFreePort(createServer(app));
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { apollo, post };
  }

  it('records ok and the first error code, over HTTP and through executeOperation', async () => {
    const metrics = createMetrics();
    const { apollo, post } = await startApollo(metrics);
    expect((await post({ query: 'query Hello { hello }' })).status).toBe(200);
    expect((await post({ query: '{ hello }' })).status).toBe(200);
    expect(await (await post({ query: 'query Secret { hello secret }' })).json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    await apollo.executeOperation({ query: 'mutation Pay { pay }' });
    await apollo.executeOperation({ query: 'query A { hello } query B { hello }', operationName: 'B' });

    const count = (labels: Record<string, string>) => valueOf(metrics.operations, labels);
    expect(await count({ operation: 'Hello', type: 'query', outcome: 'ok' })).toBe(1);
    expect(await count({ operation: 'anonymous', type: 'query', outcome: 'ok' })).toBe(1);
    expect(await count({ operation: 'Secret', type: 'query', outcome: 'FORBIDDEN' })).toBe(1);
    expect(await count({ operation: 'Pay', type: 'mutation', outcome: 'PROVIDER_UNAVAILABLE' })).toBe(1);
    expect(await count({ operation: 'B', type: 'query', outcome: 'ok' })).toBe(1);
    expect(await observations(metrics.operationDuration, { operation: 'Hello', type: 'query' })).toBe(1);
    expect(await observations(metrics.operationDuration, { operation: 'Pay', type: 'mutation' })).toBe(1);
  });

  it('records errors raised before execution: parse, validation, and a context that refused the caller', async () => {
    const metrics = createMetrics();
    const { post } = await startApollo(metrics);
    expect((await post({ query: 'query Broken { hello' })).status).toBe(400);
    expect((await post({ query: 'query Unknown { nope }' })).status).toBe(400);
    expect((await post({ query: 'query Hello { hello }' }, { authorization: 'Bearer bad' })).status).toBe(401);

    const count = (labels: Record<string, string>) => valueOf(metrics.operations, labels);
    expect(await count({ operation: 'Broken', type: 'unknown', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(0);
    // The operation name of an unparsable document is not known; the request's own operationName is used when sent.
    expect(await count({ operation: 'anonymous', type: 'unknown', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(await count({ operation: 'anonymous', type: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await count({ operation: 'unknown', type: 'unknown', outcome: 'UNAUTHENTICATED' })).toBe(1);

    await post({ query: 'query Broken { hello', operationName: 'Broken' });
    expect(await count({ operation: 'Broken', type: 'unknown', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  });
});

describe('fgw_open_subscriptions over the WebSocket transport', () => {
  async function startWebSocket(metrics: Metrics) {
    const schema = makeExecutableSchemaFromSdl(typeDefs, {
      Query: { hello: () => 'world' },
      Subscription: {
        ticks: {
          async *subscribe() {
            for (let i = 0; ; i++) {
              yield { ticks: i };
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
          },
        },
      },
    });
    // graphql-js stands in for the plan engine: what is counted here is the transport's streams.
    const engine: PlanEngine = {
      schema,
      execute: async ({ document, operationName, variables, context }) => execute({ schema, document, operationName, variableValues: variables, contextValue: context }),
      subscribe: ({ document, operationName, variables, context }) => graphqlSubscribe({ schema, document, operationName, variableValues: variables, contextValue: context }),
      authorizeSubscription: async () => [],
    };
    const httpServer = createServer();
    const close = attachWebSocketTransport({
      httpServer,
      path: '/graphql',
      engine: () => engine,
      prepare: createOperationPreparer({ engine: () => engine, logger: silentLogger, validationRules: [], details: schemaDetails({ introspection: true, hideSuggestions: false }), maxTokens: 1000, maxCost: 10_000 }),
      logger: silentLogger,
      authenticate: async () => ANONYMOUS_CALLER,
      metrics,
    });
    cleanups.push(close);
    const port = await listenOnFreePort(httpServer);
    return `ws://127.0.0.1:${port}/graphql`;
  }

  const open = (metrics: Metrics) => valueOf(metrics.openSubscriptions);

  it('counts streaming subscriptions, not queries, and uncounts each one when it completes', async () => {
    const metrics = createMetrics();
    const url = await startWebSocket(metrics);
    const client = wsClient(url);
    cleanups.push(() => client.dispose());
    const first = subscribe(client, 'subscription { ticks }');
    const second = subscribe(client, 'subscription { ticks }');
    await first.waitFor(2);
    await second.waitFor(2);
    expect(await open(metrics)).toBe(2);
    const query = subscribe(client, '{ hello }');
    await query.ended;
    expect(await open(metrics)).toBe(2);
    first.stop();
    await until(async () => (await open(metrics)) === 1);
    second.stop();
    await until(async () => (await open(metrics)) === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await open(metrics)).toBe(0);
  });

  it('goes back to 0 when a client drops its connection mid-subscription', async () => {
    const metrics = createMetrics();
    const url = await startWebSocket(metrics);
    // A raw graphql-transport-ws client, so that the socket can be destroyed without any complete message.
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const messages: { type: string; id?: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await until(async () => messages.some((m) => m.type === 'connection_ack'));
    for (const id of ['1', '2', '3']) socket.send(JSON.stringify({ type: 'subscribe', id, payload: { query: 'subscription { ticks }' } }));
    await until(async () => ['1', '2', '3'].every((id) => messages.some((m) => m.type === 'next' && m.id === id)));
    expect(await open(metrics)).toBe(3);

    socket.terminate();
    await until(async () => (await open(metrics)) === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await open(metrics)).toBe(0);
  });

  // graphql-ws 6.4.2: when an id is completed and reused at once, the first stream's cleanup deletes the
  // second's entry from ctx.subscriptions, so closing the socket never returns the second stream and never
  // calls its onComplete. The gauge still returns to 0, through onClose.
  it('stays exact when a client completes an id and reuses it at once', async () => {
    const metrics = createMetrics();
    const url = await startWebSocket(metrics);
    const socket = new WebSocket(url, 'graphql-transport-ws');
    cleanups.push(() => socket.terminate());
    const messages: { type: string; id?: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await until(async () => messages.some((m) => m.type === 'connection_ack'));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'a', payload: { query: 'subscription { ticks }' } }));
    await until(async () => messages.some((m) => m.type === 'next' && m.id === 'a'));
    socket.send(JSON.stringify({ type: 'complete', id: 'a' }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'a', payload: { query: 'subscription { ticks }' } }));
    const seen = messages.length;
    await until(async () => messages.slice(seen).some((m) => m.type === 'next' && m.id === 'a'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await open(metrics)).toBe(1);
    socket.terminate();
    await until(async () => (await open(metrics)) === 0);
  });
});

describe('webhook pipeline counts', () => {
  it('counts received, rejected, deduplicated, processed and failed per provider', async () => {
    const metrics = createMetrics();
    const claimed = new Set<string>();
    const pipeline = createWebhookPipeline<{ id: string; fail: boolean }>({
      path: '/webhooks/test',
      provider: 'test',
      logger: silentLogger,
      metrics,
      verify({ rawBody }) {
        const body = rawBody.toString('utf8');
        if (body === 'forged') throw new WebhookVerificationError('signature does not match');
        return { id: body.replace(/^fail:/, ''), fail: body.startsWith('fail:') };
      },
      eventId: (event) => event.id,
      claim: async (id) => !claimed.has(id) && Boolean(claimed.add(id)),
      async process(event) {
        if (event.fail) throw new Error('eviction failed');
      },
    });
    const deliver = (body: string) => pipeline.handle({ rawBody: Buffer.from(body), headers: {}, query: new URLSearchParams() });
    await deliver('evt_1');
    await deliver('evt_1');
    await deliver('forged');
    await deliver('fail:evt_2');
    await deliver('evt_3');
    await pipeline.drain();

    const count = (result: string) => valueOf(metrics.webhooks, { provider: 'test', result });
    expect({
      received: await count('received'),
      rejected: await count('rejected'),
      deduplicated: await count('deduplicated'),
      processed: await count('processed'),
      failed: await count('failed'),
    }).toEqual({ received: 5, rejected: 1, deduplicated: 1, processed: 2, failed: 1 });
    expect(pipeline.stats).toEqual({ received: 5, rejected: 1, duplicates: 1, processed: 2, failed: 1 });
  });
});
