import { parse } from 'graphql';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { startSubgraphServer, type RunningServer } from '../../kit/subgraph-server.ts';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import { createTestSubgraph, TEST_SUBGRAPH_SDL, type TestSubgraphStats } from './test-subgraph.ts';
import { publicAccess, type AccessRules } from '../../kit/access/access.ts';
import { testAuthenticate, testPrincipalTokens } from './tokens.ts';

/** The test subgraph's fields are public: these tests are about the gateway, not about access. */
export const TEST_SUBGRAPH_ACCESS: AccessRules = {
  Query: { node: publicAccess, echo: publicAccess, whoami: publicAccess, counter: publicAccess },
  Mutation: { increment: publicAccess },
  Subscription: { countdown: publicAccess, whoamiLive: publicAccess, flood: publicAccess, quiet: publicAccess },
};

export interface TestGateway {
  gateway: RunningGateway;
  subgraph: RunningServer;
  supergraphSdl: string;
  stats: TestSubgraphStats;
  close(): Promise<void>;
}

/** The general gateway in front of the test subgraph, both on free ports. */
export async function startTestGateway(
  options: Partial<Pick<GatewayOptions, 'production' | 'introspection' | 'landingPage' | 'authenticate' | 'clockToleranceMs' | 'logger' | 'accessRules' | 'limits' | 'rateLimit' | 'responseCacheTtlSeconds' | 'trustedDocuments'>> & {
    /** A store shared with other gateways (Redis); closed by its owner, not here. */
    sharedCacheStore?: CacheStore;
    /** Call the subgraph in process, as `npm start` does, rather than over HTTP. */
    inProcess?: boolean;
  } = {},
): Promise<TestGateway> {
  const { sharedCacheStore, inProcess, ...gatewayOptions } = options;
  const stats: TestSubgraphStats = { subscriptionsStarted: 0 };
  const logger = createLogger({ level: 'silent', name: 'test' });
  const tokens = testPrincipalTokens();
  const subgraph = await startSubgraphServer({ subgraph: createTestSubgraph(logger, stats), host: '127.0.0.1', port: 0, logger, tokens });
  const composed = composeSupergraph([{ name: 'nodes', url: subgraph.url, typeDefs: parse(TEST_SUBGRAPH_SDL) }]);
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  const cacheStore = sharedCacheStore ?? createMemoryCacheStore();
  const gateway = await startGateway({
    supergraphSdl: composed.supergraphSdl,
    host: '127.0.0.1',
    port: 0,
    logger,
    cacheStore,
    production: false,
    authenticate: testAuthenticate(),
    tokens,
    accessRules: TEST_SUBGRAPH_ACCESS,
    ...(inProcess ? { inProcessSubgraphs: (name: string) => (name === 'nodes' ? subgraph.call : undefined) } : {}),
    ...gatewayOptions,
  });
  return {
    gateway,
    subgraph,
    supergraphSdl: composed.supergraphSdl,
    stats,
    async close() {
      await gateway.close();
      await subgraph.close();
      if (!sharedCacheStore) await cacheStore.close();
    },
  };
}

/**
 * Our gateway in front of any supergraph (subgraphs a test serves itself), on a free port, with the test
 * token verifier and signing secret and a memory cache store; `close` releases both.
 */
export async function startGatewayFor(
  supergraphSdl: string,
  options: Partial<Omit<GatewayOptions, 'supergraphSdl'>> = {},
): Promise<{ gateway: RunningGateway; close(): Promise<void> }> {
  const cacheStore = createMemoryCacheStore();
  const gateway = await startGateway({
    supergraphSdl,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent', name: 'test' }),
    cacheStore,
    production: false,
    authenticate: testAuthenticate(),
    tokens: testPrincipalTokens(),
    accessRules: {},
    ...options,
  });
  return {
    gateway,
    async close() {
      await gateway.close();
      await cacheStore.close();
    },
  };
}
