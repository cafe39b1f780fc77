import type Stripe from 'stripe';
import type { GenerationalLists } from '../../kit/generational-lists.ts';
import type { ProviderCache } from '../../kit/provider-cache.ts';
import type { StripeCacheKind } from '../cache-policy.ts';
import type { Evictions } from '../evictions.ts';
import type { EventStreams } from '../../kit/event-streams.ts';

/** What the Stripe resolvers are built with. */
export interface StripeResolverDeps {
  stripe: Stripe;
  cache: ProviderCache<StripeCacheKind>;
  lists: GenerationalLists;
  evictions: Evictions;
  streams: EventStreams;
}
