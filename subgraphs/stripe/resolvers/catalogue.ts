import type { StripeContext } from '../context.ts';
import { listScope } from '../cache-policy.ts';
import { listActivePrices } from '../catalogue.ts';
import { stripeCall } from '../errors.ts';
import { idOf } from '../evictions.ts';
import type { PriceInterval, PriceResolvers, ProductConnectionResolvers, ProductResolvers } from '../__generated__/resolvers.ts';
import { idConnection } from '../../../kit/paging.ts';
import type { StripeResolverDeps } from './deps.ts';
import { found, money } from './shared.ts';

export function createCatalogueResolvers({ stripe, lists }: StripeResolverDeps) {
  const Product: ProductResolvers<StripeContext> = {
    __resolveReference: (reference, context) => context.loaders.product.load((reference as { id: string }).id),
    description: (product) => product.description ?? null,
    defaultPrice: (product, _args, context) => {
      const id = idOf(product.default_price);
      return id ? context.loaders.price.load(id) : null;
    },
    prices: (product, _args, context) =>
      stripeCall(context.logger, () => lists.page(listScope.products(), ['prices', product.id], () => listActivePrices(stripe, product.id))),
  };

  const Price: PriceResolvers<StripeContext> = {
    __resolveReference: (reference, context) => context.loaders.price.load((reference as { id: string }).id),
    nickname: (price) => price.nickname ?? null,
    unitAmount: (price) => (price.unit_amount === null ? null : money(price.unit_amount, price.currency)),
    recurring: (price) =>
      price.recurring ? { interval: price.recurring.interval.toUpperCase() as PriceInterval, intervalCount: price.recurring.interval_count } : null,
    product: async (price, _args, context) => {
      const id = idOf(price.product);
      return found(id ? await context.loaders.product.load(id) : null, 'Product');
    },
  };

  const ProductConnection: ProductConnectionResolvers<StripeContext> = {
    edges: (page) => idConnection(page).edges,
    nodes: (page) => page.data,
    pageInfo: (page) => idConnection(page).pageInfo,
  };

  return { Product, Price, ProductConnection };
}
