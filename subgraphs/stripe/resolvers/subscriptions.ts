import type { StripeContext } from '../context.ts';
import { idOf } from '../evictions.ts';
import type {
  BillingSubscriptionConnectionResolvers,
  BillingSubscriptionItemResolvers,
  BillingSubscriptionResolvers,
  BillingSubscriptionStatus,
  InvoiceConnectionResolvers,
  InvoiceResolvers,
} from '../__generated__/resolvers.ts';
import { idConnection } from '../../../kit/paging.ts';
import type { InvoiceModel, InvoicePageModel } from '../models.ts';
import { visibleOwned } from '../ownership.ts';
import { found, fromUnix, metadataEntries, money } from './shared.ts';

/** Listed invoices always have an id (only upcoming-invoice previews lack one). */
function listed(page: InvoicePageModel) {
  return { ...page, data: page.data.filter((invoice): invoice is InvoiceModel & { id: string } => Boolean(invoice.id)) };
}

export function createSubscriptionResolvers() {
  const BillingSubscription: BillingSubscriptionResolvers<StripeContext> = {
    __resolveReference: async (reference, context) =>
      visibleOwned(context.caller, await context.loaders.subscription.load((reference as { id: string }).id), 'Subscription'),
    status: (subscription) => subscription.status.toUpperCase() as BillingSubscriptionStatus,
    customer: async (subscription, _args, context) => found(await context.loaders.customer.load(idOf(subscription.customer)!), 'Customer'),
    items: (subscription) => subscription.items.data,
    cancelAtPeriodEnd: (subscription) => subscription.cancel_at_period_end,
    canceledAt: (subscription) => fromUnix(subscription.canceled_at),
    created: (subscription) => fromUnix(subscription.created)!,
    latestInvoice: (subscription, _args, context) => {
      const id = idOf(subscription.latest_invoice);
      return id ? context.loaders.invoice.load(id) : null;
    },
    metadata: (subscription) => metadataEntries(subscription.metadata),
  };

  const BillingSubscriptionItem: BillingSubscriptionItemResolvers<StripeContext> = {
    price: (item) => item.price,
    quantity: (item) => item.quantity ?? null,
  };

  const Invoice: InvoiceResolvers<StripeContext> = {
    __resolveReference: async (reference, context) =>
      visibleOwned(context.caller, await context.loaders.invoice.load((reference as { id: string }).id), 'Invoice'),
    id: (invoice) => invoice.id ?? '',
    number: (invoice) => invoice.number ?? null,
    status: (invoice) => invoice.status ?? null,
    total: (invoice) => money(invoice.total, invoice.currency),
    amountDue: (invoice) => money(invoice.amount_due, invoice.currency),
    amountPaid: (invoice) => money(invoice.amount_paid, invoice.currency),
    created: (invoice) => fromUnix(invoice.created)!,
    hostedInvoiceUrl: (invoice) => invoice.hosted_invoice_url ?? null,
    customer: (invoice, _args, context) => {
      const id = idOf(invoice.customer);
      return id ? context.loaders.customer.load(id) : null;
    },
    paymentIntent: async (invoice, _args, context) => {
      // `payments` is there when the invoice came from the loader (which expands it); listed ones lack it.
      const payments = invoice.payments ?? (invoice.id ? (await context.loaders.invoice.load(invoice.id))?.payments : undefined);
      // `payments.data.payment.payment_intent` is one level deeper than Stripe lets expand: the id, then the loader.
      const id = idOf(payments?.data.find((payment) => payment.payment.type === 'payment_intent')?.payment.payment_intent);
      return id ? context.loaders.paymentIntent.load(id) : null;
    },
  };

  const BillingSubscriptionConnection: BillingSubscriptionConnectionResolvers<StripeContext> = {
    edges: (page) => idConnection(page).edges,
    nodes: (page) => page.data,
    pageInfo: (page) => idConnection(page).pageInfo,
  };
  const InvoiceConnection: InvoiceConnectionResolvers<StripeContext> = {
    edges: (page) => idConnection(listed(page)).edges,
    nodes: (page) => listed(page).data,
    pageInfo: (page) => idConnection(listed(page)).pageInfo,
  };

  return { BillingSubscription, BillingSubscriptionItem, Invoice, BillingSubscriptionConnection, InvoiceConnection };
}
