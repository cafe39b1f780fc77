import { principalOf } from '../../../kit/access/principal.ts';
import { DateTimeScalar } from '../../../kit/scalars.ts';
import { resolveViewer } from '../../../kit/access/viewer.ts';
import type { Resolvers } from '../__generated__/resolvers.ts';
import { createCatalogueResolvers } from './catalogue.ts';
import { createCustomerResolvers } from './customers.ts';
import type { StripeResolverDeps } from './deps.ts';
import { createMutationResolvers } from './mutations.ts';
import { createPaymentResolvers } from './payments.ts';
import { createQueryResolvers } from './queries.ts';
import { createSubscriptionResolvers } from './subscriptions.ts';
import { createPaymentEventResolvers } from './payment-events.ts';

export function createStripeResolvers(deps: StripeResolverDeps): Resolvers {
  return {
    ...createPaymentEventResolvers(deps),
    DateTime: DateTimeScalar,
    Query: createQueryResolvers(deps),
    Mutation: createMutationResolvers(deps),
    ...createCustomerResolvers(deps),
    ...createPaymentResolvers(),
    ...createCatalogueResolvers(deps),
    ...createSubscriptionResolvers(),
    Viewer: {
      __resolveReference: (reference, context) => resolveViewer(reference, context.caller),
      customer: (_viewer, _args, context) => {
        const id = principalOf(context.caller)?.customerId;
        return id ? context.loaders.customer.load(id) : null;
      },
    },
  };
}
