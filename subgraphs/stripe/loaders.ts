import type Stripe from 'stripe';
import type DataLoader from 'dataloader';
import { createCachedLoader } from '../../kit/cache/cached-loader.ts';
import type { Logger } from '../../kit/logger.ts';
import { mapSettled } from '../../kit/map-settled.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import type { StripeCacheKind } from './cache-policy.ts';
import { retrievePrice, retrieveProducts } from './catalogue.ts';
import { retrieveCustomer } from './customers.ts';
import { toGraphQLError } from './errors.ts';
import type { BillingSubscriptionModel, CheckoutSessionModel, CustomerModel, InvoiceModel, PaymentIntentModel, PaymentMethodModel, PriceModel, ProductModel, RefundModel } from './models.ts';
import { listCustomerPaymentMethods, retrieveCheckoutSession } from './payment-methods.ts';
import { listRefunds, retrievePaymentIntent } from './payment-intents.ts';
import { retrieveInvoice, retrieveSubscription } from './subscriptions.ts';

export interface StripeLoaders {
  customer: DataLoader<string, CustomerModel | null, string>;
  paymentIntent: DataLoader<string, PaymentIntentModel | null, string>;
  subscription: DataLoader<string, BillingSubscriptionModel | null, string>;
  invoice: DataLoader<string, InvoiceModel | null, string>;
  product: DataLoader<string, ProductModel | null, string>;
  price: DataLoader<string, PriceModel | null, string>;
  refunds: DataLoader<string, RefundModel[], string>;
  /** A customer's saved cards, by customer id. */
  paymentMethods: DataLoader<string, PaymentMethodModel[], string>;
  checkoutSession: DataLoader<string, CheckoutSessionModel | null, string>;
}

/** Stripe has no batch retrieve (except products): a batch is parallel calls, bounded per request. */
const CONCURRENCY = 8;

export function createStripeLoaders({ stripe, cache, logger }: { stripe: Stripe; cache: ProviderCache<StripeCacheKind>; logger: Logger }): StripeLoaders {
  const mapped = <T>(call: () => Promise<T>) => call().catch((error: unknown) => Promise.reject(toGraphQLError(error, logger)));
  const byId = <T>(kind: StripeCacheKind, retrieve: (id: string) => Promise<T>) =>
    createCachedLoader<string, T, StripeCacheKind>({
      cache,
      cacheKey: (id) => ({ kind, id }),
      keyId: (id) => id,
      fetch: (ids) => mapSettled(ids, CONCURRENCY, (id) => mapped(() => retrieve(id))),
    });
  return {
    customer: byId('customer', (id) => retrieveCustomer(stripe, id)),
    paymentIntent: byId('paymentIntent', (id) => retrievePaymentIntent(stripe, id)),
    subscription: byId('subscription', (id) => retrieveSubscription(stripe, id)),
    invoice: byId('invoice', (id) => retrieveInvoice(stripe, id)),
    price: byId('price', (id) => retrievePrice(stripe, id)),
    refunds: byId('refunds', (paymentIntentId) => listRefunds(stripe, paymentIntentId)),
    paymentMethods: byId('paymentMethods', (customerId) => listCustomerPaymentMethods(stripe, customerId)),
    checkoutSession: byId('checkoutSession', (id) => retrieveCheckoutSession(stripe, id)),
    product: createCachedLoader<string, ProductModel | null, StripeCacheKind>({
      cache,
      cacheKey: (id) => ({ kind: 'product', id }),
      keyId: (id) => id,
      maxBatchSize: 100,
      fetch: async (ids) => {
        const found = await mapped(() => retrieveProducts(stripe, ids)).catch((error: Error) => error);
        return ids.map((id) => (found instanceof Error ? found : (found.get(id) ?? null)));
      },
    }),
  };
}
