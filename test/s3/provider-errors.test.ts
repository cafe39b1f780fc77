import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulators } from '../../emulators/index.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMemoryEventBus } from '../../kit/events/memory-event-bus.ts';
import { startSubgraphServer, type RunningServer } from '../../kit/subgraph-server.ts';
import { s3Provider } from '../../subgraphs/s3/index.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { s3Access } from '../../subgraphs/s3/access.ts';
import { adminHeaders, testAuthenticate, testPrincipalTokens } from '../support/tokens.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
const cacheStore = createMemoryCacheStore();
let subgraph: RunningServer;
let gateway: RunningGateway;

beforeAll(async () => {
  // S3 configured at an address where nothing listens: every provider call fails to connect.
  const env = { ...emulators['s3']!.env('http://127.0.0.1:9'), S3_ACCESS_KEY_ID: 'AKIAUNREACHABLE', S3_SECRET_ACCESS_KEY: 'do-not-leak-this' };
  subgraph = await startSubgraphServer({ subgraph: s3Provider.configure(env)({ cacheStore, eventBus: createMemoryEventBus(), logger }), host: '127.0.0.1', port: 0, logger, tokens: testPrincipalTokens() });
  gateway = await startGateway({
    supergraphSdl: readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
    subgraphUrls: { s3: subgraph.url },
    host: '127.0.0.1',
    port: 0,
    logger,
    cacheStore,
    production: false,
    authenticate: testAuthenticate(),
    tokens: testPrincipalTokens(),
    accessRules: s3Access,
  });
});
afterAll(async () => {
  await gateway?.close();
  await subgraph?.close();
  await cacheStore.close();
});

describe('when S3 cannot be reached', () => {
  it('answers PROVIDER_UNAVAILABLE with HTTP 200, naming no host and no credential', async () => {
    const response = await postGraphQL(gateway.url, '{ storedObjects(bucket: "acme-assets", first: 1) { nodes { key } } }', undefined, await adminHeaders());
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(['PROVIDER_UNAVAILABLE']);
    const text = JSON.stringify(response.body);
    for (const leak of ['127.0.0.1', ':9', 'AKIAUNREACHABLE', 'do-not-leak-this', 'ECONNREFUSED', 'stack']) expect(text).not.toContain(leak);
  });

  it('reports the subgraph unhealthy', async () => {
    const health = await fetch(subgraph.url.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ name: 's3', ok: false });
  });
});
