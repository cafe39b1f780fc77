import type Stripe from 'stripe';
import { Collection } from './collection.ts';
import type { TestCard } from './resources/test-cards.ts';

/** Everything the emulator knows, in memory. Objects are stored unexpanded (references are ids). */
export class Store {
  readonly customers = new Collection<Stripe.Customer>();
  /** Deleted customers answer retrieval with a stub, as on Stripe, but leave every listing. */
  readonly deletedCustomers = new Set<string>();
  readonly paymentMethods = new Collection<Stripe.PaymentMethod>();
  /** Which test card each payment method was made from: decides whether its charges succeed. */
  readonly cardOfPaymentMethod = new Map<string, TestCard>();
  readonly paymentIntents = new Collection<Stripe.PaymentIntent>();
  readonly charges = new Collection<Stripe.Charge>();
  readonly refunds = new Collection<Stripe.Refund>();
  readonly products = new Collection<Stripe.Product>();
  readonly prices = new Collection<Stripe.Price>();
  readonly subscriptions = new Collection<Stripe.Subscription>();
  readonly invoices = new Collection<Stripe.Invoice>();
  readonly events = new Collection<Stripe.Event>();

  customerOrStub(id: string): Stripe.Customer | Stripe.DeletedCustomer | undefined {
    if (this.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
    return this.customers.get(id);
  }
}
