import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { subgraphHealthUrlsFromEnv } from '../../gateway/engine/subgraph-endpoints.ts';
import { createLogger } from '../../kit/logger.ts';
import { startSubgraphServer } from '../../kit/subgraph-server.ts';
import { createTestSubgraph, TEST_SUBGRAPH_SDL } from '../support/test-subgraph.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGatewayFor } from '../support/test-gateway.ts';
import { testPrincipalTokens } from '../support/tokens.ts';

const SHOP = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { products: [String] }';

const closers: (() => Promise<void>)[] = [];
let gateway: RunningGateway;
let shopHealthy = true;
let healthChecks = 0;

beforeAll(async () => {
  const logger = createLogger({ level: 'silent', name: 'readiness' });
  const nodes = await startSubgraphServer({ subgraph: createTestSubgraph(logger), host: '127.0.0.1', port: 0, logger, tokens: testPrincipalTokens() });
  closers.push(() => nodes.close());
  // The shop's GraphQL endpoint is never up here; only its own health endpoint answers.
  const health = createServer((request, response) => {
    healthChecks += 1;
    response.writeHead(request.url === '/healthz' && shopHealthy ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => health.close(() => resolve())));
  const composed = composeSupergraph([
    { name: 'nodes', url: nodes.url, typeDefs: parse(TEST_SUBGRAPH_SDL) },
    { name: 'shop', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(SHOP) },
  ]);
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  const started = await startGatewayFor(composed.supergraphSdl, {
    subgraphHealthUrls: subgraphHealthUrlsFromEnv({ SUBGRAPH_HEALTH_URL_SHOP: `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz` }),
  });
  gateway = started.gateway;
  closers.push(() => started.close());
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const ready = async () => {
  const response = await fetch(gateway.url.replace(/\/graphql$/, '/health/ready'));
  return { status: response.status, body: (await response.json()) as { subgraphs: Record<string, { ok: boolean }>; providers: Record<string, unknown> } };
};

describe('readiness of subgraphs that are not ours', () => {
  it("asks a subgraph's configured health URL instead of its GraphQL endpoint, and the others { __typename }", async () => {
    shopHealthy = true;
    const before = healthChecks;
    const report = await ready();
    expect(report.status).toBe(200);
    expect(report.body.subgraphs).toEqual({ nodes: expect.objectContaining({ ok: true }), shop: expect.objectContaining({ ok: true }) });
    expect(report.body.providers).toEqual({});
    expect(healthChecks).toBe(before + 1);
  });

  it('is not ready while that health URL says so', async () => {
    shopHealthy = false;
    const report = await ready();
    expect(report.status).toBe(503);
    expect(report.body.subgraphs['shop']?.ok).toBe(false);
    expect(report.body.subgraphs['nodes']?.ok).toBe(true);
  });
});
