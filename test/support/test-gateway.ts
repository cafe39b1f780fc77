import { parse } from 'graphql';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server.ts';
import { createMemoryCacheStore } from '../../subgraphs/kit/memory-cache-store.ts';
import { createLogger } from '../../subgraphs/kit/logger.ts';
import { startSubgraphServer, type RunningServer } from '../../subgraphs/kit/subgraph-server.ts';
import { createTestSubgraph, TEST_SUBGRAPH_SDL } from './test-subgraph.ts';
import { testAuthenticate } from './tokens.ts';

export interface TestGateway {
  gateway: RunningGateway;
  subgraph: RunningServer;
  supergraphSdl: string;
  close(): Promise<void>;
}

/** The general gateway in front of the test subgraph, both on free ports. */
export async function startTestGateway(
  options: Partial<Pick<GatewayOptions, 'production' | 'introspection' | 'landingPage' | 'authenticate' | 'logger'>> = {},
): Promise<TestGateway> {
  const logger = createLogger({ level: 'silent', name: 'test' });
  const subgraph = await startSubgraphServer({ subgraph: createTestSubgraph(logger), host: '127.0.0.1', port: 0, logger });
  const composed = composeSupergraph([{ name: 'nodes', url: subgraph.url, typeDefs: parse(TEST_SUBGRAPH_SDL) }]);
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  const cacheStore = createMemoryCacheStore();
  const gateway = await startGateway({
    supergraphSdl: composed.supergraphSdl,
    host: '127.0.0.1',
    port: 0,
    logger,
    cacheStore,
    production: false,
    authenticate: testAuthenticate(),
    ...options,
  });
  return {
    gateway,
    subgraph,
    supergraphSdl: composed.supergraphSdl,
    async close() {
      await gateway.close();
      await subgraph.close();
      await cacheStore.close();
    },
  };
}
