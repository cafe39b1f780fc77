import type Stripe from 'stripe';
import type { GenerationalLists } from '../../../kit/cache/generational-lists.ts';
import type { ProviderCache } from '../../../kit/cache/provider-cache.ts';
import type { StripeCacheKind } from '../cache-policy.ts';
import type { Evictions } from '../evictions.ts';
import type { EventStreams } from '../../../kit/events/event-streams.ts';

/** What the Stripe resolvers are built with. */
export interface StripeResolverDeps {
  stripe: Stripe;
  cache: ProviderCache<StripeCacheKind>;
  lists: GenerationalLists;
  evictions: Evictions;
  streams: EventStreams;
}
