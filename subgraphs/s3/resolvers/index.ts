import { DateTimeScalar } from '../../../kit/scalars.ts';
import type { EventStreams } from '../../../kit/events/event-streams.ts';
import { createObjectEventResolvers } from '../object-events.ts';
import type { ProviderCache } from '../../../kit/cache/provider-cache.ts';
import type { S3CacheKind } from '../cache-policy.ts';
import type { Resolvers } from '../__generated__/resolvers.ts';
import { createMutationResolvers } from './mutations.ts';
import { createQueryResolvers } from './queries.ts';
import { createStoredObjectResolvers, type StoredObjectResolverDeps } from './stored-objects.ts';
import { createViewerResolvers } from './viewer.ts';

export function createS3Resolvers(deps: StoredObjectResolverDeps & { cache: ProviderCache<S3CacheKind>; streams: EventStreams }): Resolvers {
  return {
    DateTime: DateTimeScalar,
    ...createObjectEventResolvers(deps.streams),
    Query: createQueryResolvers(deps),
    Mutation: createMutationResolvers(deps),
    ...createStoredObjectResolvers(deps),
    Viewer: createViewerResolvers(deps),
  };
}
