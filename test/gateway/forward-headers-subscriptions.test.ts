import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { graphql, parse } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { useServer } from 'graphql-ws/use/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { publicAccess } from '../../kit/access/access.ts';
import { fed } from '../differential/harness.ts';
import { eventually } from '../support/eventually.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { collect, wsClient } from '../support/ws-client.ts';

// A foreign subgraph serving subscriptions over graphql-ws, telling its callers apart by the tenant its
// WebSocket connection carries: in the upgrade request's headers, or in connectionParams (as browsers send it).
const TENANTS = fed([], 'type Query { tenant: String } type Subscription { tenantTicks(count: Int!): String }');
interface TenantContext {
  tenant: string | null;
}

let forwarding: string;
let notForwarding: string;
let subgraphSockets: WebSocketServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(TENANTS),
      resolvers: {
        Query: { tenant: (_: unknown, __: unknown, context: TenantContext) => context.tenant },
        Subscription: {
          tenantTicks: {
            subscribe: async function* (_: unknown, { count }: { count: number }, context: TenantContext) {
              for (let i = 0; i < count; i++) yield { tenantTicks: `${context.tenant ?? 'none'}#${i}` };
            },
          },
        },
      },
    },
  ]);
  const tenantOf = (headers: Record<string, unknown>, params: Record<string, unknown> | undefined) =>
    (typeof headers['x-tenant-id'] === 'string' ? headers['x-tenant-id'] : undefined) ?? (typeof params?.['x-tenant-id'] === 'string' ? params['x-tenant-id'] : null);
  // Queries over HTTP, as the gateway sends them (a WebSocket client's queries included).
  const httpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      void Promise.resolve(graphql({ schema, source: body.query, contextValue: { tenant: tenantOf(req.headers, undefined) } })).then((result) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      });
    });
  });
  subgraphSockets = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const upgradeTenants: (string | null)[] = [];
  const paramTenants: unknown[] = [];
  const cleanup = useServer(
    {
      schema,
      onConnect: (ctx) => {
        upgradeTenants.push((ctx.extra.request.headers['x-tenant-id'] as string | undefined) ?? null);
        paramTenants.push(ctx.connectionParams?.['x-tenant-id'] ?? null);
        return true;
      },
      context: (ctx): TenantContext => ({ tenant: tenantOf(ctx.extra.request.headers, ctx.connectionParams) }),
    },
    subgraphSockets,
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  closers.push(async () => {
    await cleanup.dispose();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  });
  const composed = composeServices([{ name: 'tenants', url, typeDefs: parse(TENANTS) }]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const accessRules = { Query: { tenant: publicAccess }, Subscription: { tenantTicks: publicAccess } };
  const withForwarding = await startGatewayFor(composed.supergraphSdl, { accessRules, forwardHeaders: ['x-tenant-id'] });
  const without = await startGatewayFor(composed.supergraphSdl, { accessRules });
  closers.push(() => withForwarding.close(), () => without.close());
  forwarding = withForwarding.gateway.url;
  notForwarding = without.gateway.url;
  connectionTenants = { upgrade: upgradeTenants, params: paramTenants };
});

let connectionTenants: { upgrade: (string | null)[]; params: unknown[] };

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const ws = (url: string) => url.replace(/^http/, 'ws');

async function ticksOverWebSocket(url: string, connectionParams: Record<string, unknown>, count = 2) {
  const client = wsClient(ws(url), { connectionParams });
  try {
    return await collect(client, `subscription { tenantTicks(count: ${count}) }`);
  } finally {
    await client.dispose();
  }
}

describe('forwarded headers on subscriptions (GATEWAY_FORWARD_HEADERS)', () => {
  it("reach the subgraph's WebSocket with a browser's connectionParams, each tenant on a connection of its own", async () => {
    const [acme, globex] = await Promise.all([ticksOverWebSocket(forwarding, { 'x-tenant-id': 'acme' }, 3), ticksOverWebSocket(forwarding, { 'x-tenant-id': 'globex' }, 3)]);
    expect(acme).toEqual(['acme#0', 'acme#1', 'acme#2'].map((tick) => ({ data: { tenantTicks: tick } })));
    expect(globex).toEqual(['globex#0', 'globex#1', 'globex#2'].map((tick) => ({ data: { tenantTicks: tick } })));
    // Both as the upgrade request's header and in connectionParams, wherever the subgraph reads it.
    expect(connectionTenants.upgrade).toEqual(expect.arrayContaining(['acme', 'globex']));
    expect(connectionTenants.params).toEqual(expect.arrayContaining(['acme', 'globex']));
  });

  it("are taken from a WebSocket client's upgrade request too, and go with its queries", async () => {
    const { default: WebSocket } = await import('ws');
    const { createClient } = await import('graphql-ws');
    const client = createClient({
      url: ws(forwarding),
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, { headers: { 'x-tenant-id': 'initech' } });
        }
      },
    });
    try {
      expect(await collect(client, 'subscription { tenantTicks(count: 1) }')).toEqual([{ data: { tenantTicks: 'initech#0' } }]);
      // A query on the same socket reaches the subgraph over HTTP, with the header as a request header.
      expect(await collect(client, '{ tenant }')).toEqual([{ data: { tenant: 'initech' } }]);
    } finally {
      await client.dispose();
    }
  });

  it('reach the subgraph from an SSE subscription\'s request headers', async () => {
    const client = createSseClient({ url: forwarding, retryAttempts: 0, headers: { 'x-tenant-id': 'umbrella' } });
    try {
      const results: unknown[] = [];
      for await (const result of client.iterate({ query: 'subscription { tenantTicks(count: 2) }' })) results.push(result);
      expect(results).toEqual(['umbrella#0', 'umbrella#1'].map((tick) => ({ data: { tenantTicks: tick } })));
    } finally {
      client.dispose();
    }
  });

  it('are not forwarded by a gateway not configured to', async () => {
    expect(await ticksOverWebSocket(notForwarding, { 'x-tenant-id': 'acme' })).toEqual(['none#0', 'none#1'].map((tick) => ({ data: { tenantTicks: tick } })));
  });

  it("close a tenant's subgraph connection once its last subscription has ended", async () => {
    await ticksOverWebSocket(forwarding, { 'x-tenant-id': 'hooli' }, 1);
    // The gateway's connections to the subgraph: none left open a couple of seconds after the last subscription.
    await eventually(() => (subgraphSockets.clients.size === 0 ? true : undefined), 'every forwarded-tenant connection to close', 5_000);
  });
});
