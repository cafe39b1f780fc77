import { pageSize, idConnection } from '../../../kit/paging.ts';
import { listScope } from '../cache-policy.ts';
import type { StripeContext } from '../context.ts';
import { stripeCall } from '../errors.ts';
import { listPaymentIntents } from '../payment-intents.ts';
import { listInvoices, listSubscriptions } from '../subscriptions.ts';
import type { CustomerConnectionResolvers, CustomerResolvers, MoneyResolvers } from '../__generated__/resolvers.ts';
import { formatMoney } from '../money.ts';
import type { StripeResolverDeps } from './deps.ts';
import { fromUnix, metadataEntries, money } from './shared.ts';
import type Stripe from 'stripe';
import { visibleCustomer } from '../ownership.ts';
import { idOf } from '../evictions.ts';
import { toPaymentMethod } from './payment-flows.ts';

export function createCustomerResolvers({ stripe, lists }: StripeResolverDeps) {
  const Customer: CustomerResolvers<StripeContext> = {
    __resolveReference: async (reference, context) => visibleCustomer(context.caller, await context.loaders.customer.load((reference as { id: string }).id)),
    created: (customer) => fromUnix(customer.created)!,
    balance: (customer) => money(customer.balance, customer.currency ?? 'usd'),
    metadata: (customer) => metadataEntries(customer.metadata),
    githubLogin: (customer) => customer.metadata['github_login'] || null,
    twitterUsername: (customer) => customer.metadata['twitter_username'] || null,
    storagePrefix: (customer) => customer.metadata['storage_prefix'] || null,
    // References only: the social subgraphs resolve the rest through federation.
    github: (customer) => (customer.metadata['github_login'] ? { login: customer.metadata['github_login'] } : null),
    twitter: (customer) => (customer.metadata['twitter_username'] ? { username: customer.metadata['twitter_username'] } : null),
    paymentIntents: (customer, { first, after }, context) => {
      const size = pageSize(first, 10);
      return stripeCall(context.logger, () =>
        lists.page(listScope.paymentIntentsOf(customer.id), [size, after ?? null], () => listPaymentIntents(stripe, { customer: customer.id, first: size, after })),
      );
    },
    subscriptions: (customer, { first, after, status }, context) => {
      const size = pageSize(first, 10);
      const stripeStatus = status?.toLowerCase() as Stripe.SubscriptionListParams.Status | undefined;
      return stripeCall(context.logger, () =>
        lists.page(listScope.subscriptionsOf(customer.id), [size, after ?? null, stripeStatus ?? null], () =>
          listSubscriptions(stripe, { customer: customer.id, first: size, after, status: stripeStatus }),
        ),
      );
    },
    paymentMethods: async (customer, _args, context) => {
      const defaultId = idOf(customer.invoice_settings?.default_payment_method);
      return (await context.loaders.paymentMethods.load(customer.id)).map((method) => toPaymentMethod(method, defaultId));
    },
    invoices: (customer, { first, after }, context) => {
      const size = pageSize(first, 10);
      return stripeCall(context.logger, () =>
        lists.page(listScope.invoicesOf(customer.id), [size, after ?? null], () => listInvoices(stripe, { customer: customer.id, first: size, after })),
      );
    },
  };

  const CustomerConnection: CustomerConnectionResolvers<StripeContext> = {
    edges: (page) => idConnection(page).edges,
    nodes: (page) => page.data,
    pageInfo: (page) => idConnection(page).pageInfo,
  };

  const Money: MoneyResolvers<StripeContext> = {
    formatted: (value) => formatMoney(value.amount, value.currency),
  };

  return { Customer, CustomerConnection, Money };
}
