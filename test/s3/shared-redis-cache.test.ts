import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulators } from '../../emulators/index.ts';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { SEED_BUCKETS, seededKeys } from '../../emulators/s3/fixtures/seed.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMemoryEventBus } from '../../kit/events/memory-event-bus.ts';
import { createRedisCacheStore } from '../../kit/cache/redis-cache-store.ts';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { startSubgraphServer, type RunningServer } from '../../kit/subgraph-server.ts';
import { s3Provider } from '../../subgraphs/s3/index.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { gatewaySignature, testPrincipalTokens } from '../support/tokens.ts';
import { REDIS_URL, redisAvailable } from '../support/redis.ts';

const hasRedis = await redisAvailable();
const logger = createLogger({ level: 'silent', name: 'test' });
// A prefix of its own, so parallel runs sharing this Redis never see each other's entries.
const keyPrefix = `test-${randomUUID()}`;

describe.skipIf(!hasRedis)('two S3 subgraph instances sharing Redis', () => {
  let emulator: S3Emulator;
  const stores: CacheStore[] = [];
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    emulator = await startS3Emulator();
    const createSubgraph = s3Provider.configure(emulators['s3']!.env(emulator.url));
    for (let i = 0; i < 2; i++) {
      // Separate connections, as two replicas would have.
      const cacheStore = await createRedisCacheStore({ url: REDIS_URL, keyPrefix, logger });
      stores.push(cacheStore);
      servers.push(await startSubgraphServer({ subgraph: createSubgraph({ cacheStore, eventBus: createMemoryEventBus(), logger }), host: '127.0.0.1', port: 0, logger, tokens: testPrincipalTokens() }));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(stores.map((s) => s.close()));
    await emulator?.close();
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}:*`, COUNT: 100 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  });

  const [key] = seededKeys(SEED_BUCKETS.assets, 'docs/');
  const objectQuery = `{ storedObject(bucket: "${SEED_BUCKETS.assets}", key: "${key}") { key contentType size } }`;

  it('serves from one instance what the other cached', async () => {
    emulator.requests.reset();
    const first = await postGraphQL(servers[0]!.url, objectQuery, undefined, gatewaySignature());
    expect(first.body.data).toMatchObject({ storedObject: { key } });
    expect(emulator.requests.count('HeadObject')).toBe(1);

    const second = await postGraphQL(servers[1]!.url, objectQuery, undefined, gatewaySignature());
    expect(second.body).toEqual(first.body);
    expect(emulator.requests.count('HeadObject')).toBe(1);
  });

  it('evicts on every instance what a delete on one instance made stale', async () => {
    const deleted = await postGraphQL(servers[1]!.url, `mutation { deleteObject(bucket: "${SEED_BUCKETS.assets}", key: "${key}") { deleted } }`, undefined, gatewaySignature());
    expect(deleted.body.data).toEqual({ deleteObject: { deleted: true } });
    const afterDelete = await postGraphQL(servers[0]!.url, objectQuery, undefined, gatewaySignature());
    expect(afterDelete.body.data).toEqual({ storedObject: null });
  });
});
