import type Stripe from 'stripe';
import type { MoneyModel } from './money.ts';

/** What the Stripe resolvers pass between each other: the SDK's own objects, plus pages and money. */
export type CustomerModel = Stripe.Customer;
export type PaymentIntentModel = Stripe.PaymentIntent;
export type RefundModel = Stripe.Refund;
export type ProductModel = Stripe.Product;
export type PriceModel = Stripe.Price;
export type BillingSubscriptionModel = Stripe.Subscription;
export type BillingSubscriptionItemModel = Stripe.SubscriptionItem;
export type InvoiceModel = Stripe.Invoice;
export type PaymentMethodModel = Stripe.PaymentMethod;
export type SetupIntentModel = Stripe.SetupIntent;
export type CheckoutSessionModel = Stripe.Checkout.Session;
export type { MoneyModel };

/** One page of a Stripe list, newest first. */
export interface PageModel<T> {
  data: T[];
  hasMore: boolean;
  /** Whether this page was asked for with a cursor. */
  hasPrevious: boolean;
}
export type CustomerPageModel = PageModel<CustomerModel>;
export type PaymentIntentPageModel = PageModel<PaymentIntentModel>;
export type ProductPageModel = PageModel<ProductModel>;
export type BillingSubscriptionPageModel = PageModel<BillingSubscriptionModel>;
export type InvoicePageModel = PageModel<InvoiceModel>;
