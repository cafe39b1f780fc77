import { pageSize } from '../../../kit/paging.ts';
import { listScope } from '../cache-policy.ts';
import { listProducts } from '../catalogue.ts';
import type { StripeContext } from '../context.ts';
import { listCustomers } from '../customers.ts';
import { stripeCall } from '../errors.ts';
import type { QueryResolvers } from '../__generated__/resolvers.ts';
import type { StripeResolverDeps } from './deps.ts';
import { createPaymentFlowResolvers } from './payment-flows.ts';
import { requireAdmin } from '../../../kit/access/access.ts';
import { viewerOf } from '../../../kit/access/viewer.ts';
import { visibleCustomer, visibleOwned } from '../ownership.ts';

export function createQueryResolvers({ stripe, lists, evictions }: StripeResolverDeps): QueryResolvers<StripeContext> {
  return {
    ...createPaymentFlowResolvers({ stripe, evictions }).Query,
    viewer: (_root, _args, context) => viewerOf(context.caller),
    customer: async (_root, { id }, context) => visibleCustomer(context.caller, await context.loaders.customer.load(id)),
    customers: (_root, { first, after, email }, context) => {
      requireAdmin(context.caller);
      const size = pageSize(first, 10);
      return stripeCall(context.logger, () =>
        lists.page(listScope.customers(), [size, after ?? null, email ?? null], () => listCustomers(stripe, { first: size, after, email })),
      );
    },
    paymentIntent: async (_root, { id }, context) => visibleOwned(context.caller, await context.loaders.paymentIntent.load(id), 'Payment intent'),
    products: (_root, { first, after, active }, context) => {
      const size = pageSize(first, 10);
      return stripeCall(context.logger, () =>
        lists.page(listScope.products(), [size, after ?? null, active ?? null], () => listProducts(stripe, { first: size, after, active })),
      );
    },
  };
}
