import type Stripe from 'stripe';
import type { ApiContext } from './api-context.ts';
import { Collection } from './collection.ts';
import type { TestCard } from './resources/test-cards.ts';

/** Work the emulator does later on its own, as Stripe does (a payment settling, an unpaid subscription expiring). */
export interface ScheduledWork {
  /** Unix seconds on the emulator's clock. */
  readonly at: number;
  readonly run: (context: ApiContext) => void;
}

/** Everything the emulator knows, in memory. Objects are stored unexpanded (references are ids). */
export class Store {
  readonly customers = new Collection<Stripe.Customer>();
  /** Deleted customers answer retrieval with a stub, as on Stripe, but leave every listing. */
  readonly deletedCustomers = new Set<string>();
  readonly paymentMethods = new Collection<Stripe.PaymentMethod>();
  /** Which test card each payment method was made from: decides whether its charges succeed. */
  readonly cardOfPaymentMethod = new Map<string, TestCard>();
  /** Payment methods saved through a succeeded SetupIntent (they no longer need 3-D Secure where the card allows). */
  readonly setUpPaymentMethods = new Set<string>();
  readonly paymentIntents = new Collection<Stripe.PaymentIntent>();
  readonly setupIntents = new Collection<Stripe.SetupIntent>();
  readonly charges = new Collection<Stripe.Charge>();
  readonly refunds = new Collection<Stripe.Refund>();
  readonly products = new Collection<Stripe.Product>();
  readonly prices = new Collection<Stripe.Price>();
  readonly subscriptions = new Collection<Stripe.Subscription>();
  readonly invoices = new Collection<Stripe.Invoice>();
  /** The default payment of each invoice that Stripe charges through a PaymentIntent, by invoice id. */
  readonly invoicePayments = new Map<string, Stripe.InvoicePayment>();
  readonly checkoutSessions = new Collection<Stripe.Checkout.Session>();
  /** What each Checkout Session sells (Stripe keeps line items apart from the session object). */
  readonly checkoutLineItems = new Map<string, ReadonlyArray<{ price: string; quantity: number }>>();
  readonly events = new Collection<Stripe.Event>();
  readonly scheduled: ScheduledWork[] = [];

  customerOrStub(id: string): Stripe.Customer | Stripe.DeletedCustomer | undefined {
    if (this.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
    return this.customers.get(id);
  }

  /** The invoice a PaymentIntent pays, if it is an invoice's default payment. */
  invoiceOfPaymentIntent(paymentIntentId: string): Stripe.Invoice | undefined {
    for (const [invoiceId, payment] of this.invoicePayments) {
      if (payment.payment.payment_intent === paymentIntentId) return this.invoices.get(invoiceId);
    }
    return undefined;
  }
}
