import type { GenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import { listScope, type StripeCacheKind } from './cache-policy.ts';

/**
 * What a change to one Stripe object makes stale, in one place for mutations and webhook events alike.
 * Evictions only delete: an event arriving late or out of order can never write older data into the cache.
 */
export interface Evictions {
  customer(id: string): Promise<void>;
  paymentIntent(id: string, customerId: string | null): Promise<void>;
  subscription(id: string, customerId: string | null): Promise<void>;
  invoice(id: string, customerId: string | null): Promise<void>;
  product(id: string): Promise<void>;
  price(id: string): Promise<void>;
  /** A customer's saved cards changed (attach, detach, a SetupIntent that saved one); so may their default. */
  paymentMethods(customerId: string): Promise<void>;
  /** A Checkout Session changed; once complete it has created payments, subscriptions and saved cards. */
  checkoutSession(id: string, customerId: string | null): Promise<void>;
}

export function createEvictions({ cache, lists }: { cache: ProviderCache<StripeCacheKind>; lists: GenerationalLists }): Evictions {
  const ofCustomer = (customerId: string | null, scope: (id: string) => string) => (customerId ? lists.invalidate(scope(customerId)) : Promise.resolve());
  // The customer too: `invoice_settings.default_payment_method` changes with its cards.
  const paymentMethods = (customerId: string) =>
    cache.delete([
      { kind: 'paymentMethods', id: customerId },
      { kind: 'customer', id: customerId },
    ]);
  return {
    async customer(id) {
      await Promise.all([cache.delete([{ kind: 'customer', id }]), lists.invalidate(listScope.customers())]);
    },
    async paymentIntent(id, customerId) {
      await Promise.all([
        cache.delete([
          { kind: 'paymentIntent', id },
          { kind: 'refunds', id },
        ]),
        ofCustomer(customerId, listScope.paymentIntentsOf),
      ]);
    },
    async subscription(id, customerId) {
      await Promise.all([
        cache.delete([{ kind: 'subscription', id }]),
        ofCustomer(customerId, listScope.subscriptionsOf),
        ofCustomer(customerId, listScope.invoicesOf),
      ]);
    },
    async invoice(id, customerId) {
      await Promise.all([cache.delete([{ kind: 'invoice', id }]), ofCustomer(customerId, listScope.invoicesOf)]);
    },
    async product(id) {
      await Promise.all([cache.delete([{ kind: 'product', id }]), lists.invalidate(listScope.products())]);
    },
    async price(id) {
      await Promise.all([cache.delete([{ kind: 'price', id }]), lists.invalidate(listScope.products())]);
    },
    paymentMethods,
    async checkoutSession(id, customerId) {
      await Promise.all([
        cache.delete([{ kind: 'checkoutSession', id }]),
        ...(customerId
          ? [
              paymentMethods(customerId),
              ofCustomer(customerId, listScope.paymentIntentsOf),
              ofCustomer(customerId, listScope.subscriptionsOf),
              ofCustomer(customerId, listScope.invoicesOf),
            ]
          : []),
      ]);
    },
  };
}

/** The id of an expandable field (Stripe sends either the id or the object). */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}
