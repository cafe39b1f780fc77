import type { CacheStore } from '../kit/cache-store.ts';
import { readConfig } from '../kit/config.ts';
import { createContextFactory } from '../kit/context.ts';
import type { Logger } from '../kit/logger.ts';
import { createProviderCache } from '../kit/provider-cache.ts';
import { createProviderRequestLog } from '../kit/provider-request-log.ts';
import { loadSubgraphTypeDefs } from '../kit/sdl.ts';
import type { Provider } from '../kit/provider.ts';
import { s3Access } from './access.ts';
import type { Subgraph } from '../kit/subgraph.ts';
import { s3CachePolicy } from './cache-policy.ts';
import { createS3Client } from './client.ts';
import { hasRealS3Credentials, s3ConfigSchema, s3SettingsFromEnv, type S3Settings } from './config.ts';
import type { S3Context } from './context.ts';
import { checkS3Health } from './health.ts';
import { createListings } from './listings.ts';
import { createS3Loaders } from './loaders.ts';
import { createS3Resolvers } from './resolvers/index.ts';

export type { S3Settings } from './config.ts';

export interface S3SubgraphOptions {
  settings: S3Settings;
  cacheStore: CacheStore;
  logger: Logger;
}

/** The storage subgraph: buckets and objects of S3 (or any S3-compatible store). */
export function createS3Subgraph({ settings, cacheStore, logger }: S3SubgraphOptions): Subgraph<S3Context> {
  const requestLog = createProviderRequestLog();
  const s3 = createS3Client(settings, requestLog);
  const cache = createProviderCache({ keyv: cacheStore.namespace('s3'), policy: s3CachePolicy });
  const listings = createListings({ s3, cache });
  const subgraphLogger = logger.child({ subgraph: 's3' });
  return {
    name: 's3',
    requestLog,
    typeDefs: loadSubgraphTypeDefs('s3'),
    resolvers: createS3Resolvers({ s3, settings, listings, cache }),
    createContext: createContextFactory({
      logger: subgraphLogger,
      createLoaders: () => createS3Loaders({ s3, cache, logger: subgraphLogger }),
    }),
    health: () => checkS3Health(s3, settings.buckets),
    async close() {
      s3.destroy();
    },
  };
}

/** S3 as the application sees it: configured from S3_* variables. */
export const s3Provider: Provider = {
  name: 's3',
  accessRules: s3Access,
  usesRealService: hasRealS3Credentials,
  configure(env) {
    const settings = s3SettingsFromEnv(readConfig(s3ConfigSchema, env));
    return ({ cacheStore, logger }) => createS3Subgraph({ settings, cacheStore, logger });
  },
};
