import type { CachePolicy } from '../../kit/cache/provider-cache.ts';

/**
 * Entries are `shared`: the subgraph calls Stripe with the platform's own key, so a value depends only on
 * its id. Who may read which customer is decided before a resolver runs (authorization), never by the cache.
 * Webhook events evict what they change; TTLs bound staleness when an event is late or lost.
 */
export const stripeCachePolicy = {
  customer: { ttlMs: 60_000, missingTtlMs: 10_000, scope: 'shared' },
  paymentIntent: { ttlMs: 30_000, missingTtlMs: 10_000, scope: 'shared' },
  subscription: { ttlMs: 60_000, missingTtlMs: 10_000, scope: 'shared' },
  invoice: { ttlMs: 60_000, missingTtlMs: 10_000, scope: 'shared' },
  /** The catalogue changes rarely and is read on every pricing page. */
  product: { ttlMs: 300_000, missingTtlMs: 30_000, scope: 'shared' },
  price: { ttlMs: 300_000, missingTtlMs: 30_000, scope: 'shared' },
  /** List pages (customers, a customer's payment intents, …), evicted per scope by generation. */
  listPage: { ttlMs: 30_000, scope: 'shared' },
  listGeneration: { ttlMs: 86_400_000, scope: 'shared' },
  /** Refunds of one payment intent. */
  refunds: { ttlMs: 30_000, scope: 'shared' },
  /** A customer's saved cards (by customer id): attach/detach and their webhooks evict them. */
  paymentMethods: { ttlMs: 60_000, scope: 'shared' },
  /** Short: a session is completed on Stripe's page, and the frontend polls it on return. */
  checkoutSession: { ttlMs: 15_000, missingTtlMs: 5_000, scope: 'shared' },
} as const satisfies CachePolicy<string>;

export type StripeCacheKind = keyof typeof stripeCachePolicy;

/** Scopes of cached list pages; one generation each. */
export const listScope = {
  customers: () => 'customers',
  products: () => 'products',
  paymentIntentsOf: (customerId: string) => `payment_intents:${customerId}`,
  subscriptionsOf: (customerId: string) => `subscriptions:${customerId}`,
  invoicesOf: (customerId: string) => `invoices:${customerId}`,
} as const;
