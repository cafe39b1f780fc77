import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../../gateway/config.ts';
import { publicAccess } from '../../kit/access/access.ts';
import { ConfigError, readConfig } from '../../kit/config.ts';
import { fed } from '../differential/harness.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { authorization } from '../support/tokens.ts';

// A foreign subgraph that tells its callers apart by the headers it receives, as a user's own would.
const TENANTS = fed([], 'type Query { tenant: String slowTenant: String bearer: String }');
interface TenantContext {
  tenant?: string | undefined;
  authorization?: string | undefined;
}
let slowCalls = 0;
let forwarding: string;
let notForwarding: string;
let caching: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const tenants = new ApolloServer<TenantContext>({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(TENANTS),
        resolvers: {
          Query: {
            tenant: (_: unknown, __: unknown, context: TenantContext) => context.tenant ?? null,
            // Slow, so that two requests overlap and could share the one run.
            slowTenant: (_: unknown, __: unknown, context: TenantContext) => (slowCalls++, new Promise((resolve) => setTimeout(() => resolve(context.tenant ?? null), 300))),
            bearer: (_: unknown, __: unknown, context: TenantContext) => context.authorization ?? null,
          },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(tenants, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ tenant: req.headers['x-tenant-id'] as string | undefined, authorization: req.headers.authorization }),
  });
  closers.push(() => tenants.stop());
  const composed = composeServices([{ name: 'tenants', url, typeDefs: parse(TENANTS) }]);
  if (!composed.supergraphSdl) throw new Error('does not compose');
  const accessRules = { Query: { tenant: publicAccess, slowTenant: publicAccess, bearer: publicAccess } };
  const withForwarding = await startGatewayFor(composed.supergraphSdl, { accessRules, shareOperations: true, forwardHeaders: ['x-tenant-id', 'authorization'] });
  const without = await startGatewayFor(composed.supergraphSdl, { accessRules, shareOperations: true });
  const withCache = await startGatewayFor(composed.supergraphSdl, { accessRules, forwardHeaders: ['x-tenant-id'], responseCacheTtlSeconds: 60 });
  closers.push(() => withForwarding.close(), () => without.close(), () => withCache.close());
  caching = withCache.gateway.url;
  forwarding = withForwarding.gateway.url;
  notForwarding = without.gateway.url;
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function ask(url: string, query: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return response.json();
}

describe('client headers forwarded to subgraphs (GATEWAY_FORWARD_HEADERS, --forward-header)', () => {
  it('passes the configured headers on to the subgraphs, and none when none are configured', async () => {
    expect(await ask(forwarding, '{ tenant }', { 'x-tenant-id': 'acme' })).toEqual({ data: { tenant: 'acme' } });
    expect(await ask(notForwarding, '{ tenant }', { 'x-tenant-id': 'acme' })).toEqual({ data: { tenant: null } });
    const ada = await authorization({ sub: 'ada' });
    expect(await ask(forwarding, '{ bearer }', ada)).toEqual({ data: { bearer: ada['authorization'] } });
    expect(await ask(notForwarding, '{ bearer }', ada)).toEqual({ data: { bearer: null } });
  });

  it('never lets requests whose forwarded headers differ share an answer, while identical ones still do', async () => {
    let before = slowCalls;
    const [acme, globex] = await Promise.all([
      ask(forwarding, '{ slowTenant }', { 'x-tenant-id': 'acme' }),
      ask(forwarding, '{ slowTenant }', { 'x-tenant-id': 'globex' }),
    ]);
    expect([acme, globex]).toEqual([{ data: { slowTenant: 'acme' } }, { data: { slowTenant: 'globex' } }]);
    expect(slowCalls - before).toBe(2);

    before = slowCalls;
    const same = await Promise.all([ask(forwarding, '{ slowTenant }', { 'x-tenant-id': 'acme' }), ask(forwarding, '{ slowTenant }', { 'x-tenant-id': 'acme' })]);
    expect(same).toEqual([{ data: { slowTenant: 'acme' } }, { data: { slowTenant: 'acme' } }]);
    expect(slowCalls - before).toBe(1);
  });

  it('keeps a cached answer to the forwarded headers it was computed with', async () => {
    const ada = await authorization({ sub: 'ada' });
    expect(await ask(caching, '{ tenant }', { ...ada, 'x-tenant-id': 'acme' })).toEqual({ data: { tenant: 'acme' } });
    expect(await ask(caching, '{ tenant }', { ...ada, 'x-tenant-id': 'globex' })).toEqual({ data: { tenant: 'globex' } });
    expect(await ask(caching, '{ tenant }', { ...ada, 'x-tenant-id': 'acme' })).toEqual({ data: { tenant: 'acme' } });
  });

  it('refuses to forward a header the gateway sets itself or that describes the connection', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readConfig(gatewayConfigSchema, env);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
    };
    expect(problems({ GATEWAY_FORWARD_HEADERS: 'x-tenant-id,X-Gateway-Principal,host' })).toEqual([
      expect.stringMatching(/^GATEWAY_FORWARD_HEADERS: X-Gateway-Principal, host: set by the gateway itself/),
    ]);
    expect(problems({ GATEWAY_FORWARD_HEADERS: 'authorization, x-tenant-id' })).toEqual([]);
  });
});
