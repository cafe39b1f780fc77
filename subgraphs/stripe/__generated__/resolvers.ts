import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ViewerModel } from '../../../kit/access/viewer.ts';
import type { CustomerModel, CustomerPageModel, PaymentIntentModel, PaymentIntentPageModel, RefundModel, ProductModel, ProductPageModel, PriceModel, BillingSubscriptionModel, BillingSubscriptionItemModel, BillingSubscriptionPageModel, InvoiceModel, InvoicePageModel, MoneyModel } from '../models.ts';
import type { DomainEvent } from '../../../kit/events/event-bus.ts';
import type { StripeContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, as an ISO-8601 string in UTC. */
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AttachPaymentMethodInput = {
  customerId: Scalars['ID']['input'];
  /** Attaching checks the card with its issuer (a declining card is CARD_DECLINED): a retry must not check twice. */
  idempotencyKey: Scalars['String']['input'];
  /** A PaymentMethod created client-side by Stripe.js (test mode: pm_card_visa, …). */
  paymentMethodId: Scalars['ID']['input'];
  /** Also make it the customer's default for invoices and subscriptions. */
  setAsDefault?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A recurring billing subscription (Stripe's Subscription; named so as not to clash with GraphQL subscriptions). */
export type BillingSubscription = {
  __typename?: 'BillingSubscription';
  cancelAtPeriodEnd: Scalars['Boolean']['output'];
  canceledAt: Maybe<Scalars['DateTime']['output']>;
  created: Scalars['DateTime']['output'];
  customer: Customer;
  id: Scalars['ID']['output'];
  items: Array<BillingSubscriptionItem>;
  latestInvoice: Maybe<Invoice>;
  metadata: Array<MetadataEntry>;
  status: BillingSubscriptionStatus;
};

export type BillingSubscriptionConnection = {
  __typename?: 'BillingSubscriptionConnection';
  edges: Array<BillingSubscriptionEdge>;
  nodes: Array<BillingSubscription>;
  pageInfo: PageInfo;
};

export type BillingSubscriptionEdge = {
  __typename?: 'BillingSubscriptionEdge';
  cursor: Scalars['String']['output'];
  node: BillingSubscription;
};

export type BillingSubscriptionItem = {
  __typename?: 'BillingSubscriptionItem';
  id: Scalars['ID']['output'];
  price: Price;
  quantity: Maybe<Scalars['Int']['output']>;
};

export type BillingSubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELED'
  | 'INCOMPLETE'
  | 'INCOMPLETE_EXPIRED'
  | 'PAST_DUE'
  | 'PAUSED'
  | 'TRIALING'
  | 'UNPAID';

export type CancelBillingSubscriptionInput = {
  id: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};

export type CancelPaymentIntentInput = {
  id: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  reason?: InputMaybe<CancellationReason>;
};

export type CancellationReason =
  | 'ABANDONED'
  | 'DUPLICATE'
  | 'FRAUDULENT'
  | 'REQUESTED_BY_CUSTOMER';

export type CaptureMethod =
  | 'AUTOMATIC'
  | 'MANUAL';

export type CapturePaymentIntentInput = {
  /** Minor units, at most what is capturable; all of it when omitted. The rest is released. */
  amountToCapture?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};

/** A Stripe-hosted payment page (Checkout Session): send the customer's browser to `url`. */
export type CheckoutSession = {
  __typename?: 'CheckoutSession';
  /** What it charges, for PAYMENT and SUBSCRIPTION sessions. */
  amountTotal: Maybe<Money>;
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  mode: CheckoutSessionMode;
  /** Stripe's `payment_status`: `paid`, `unpaid` or `no_payment_required`. */
  paymentStatus: Scalars['String']['output'];
  status: CheckoutSessionStatus;
  /** The hosted page; null once the session is complete or expired. */
  url: Maybe<Scalars['String']['output']>;
};

export type CheckoutSessionMode =
  | 'PAYMENT'
  | 'SETUP'
  | 'SUBSCRIPTION';

export type CheckoutSessionStatus =
  | 'COMPLETE'
  | 'EXPIRED'
  | 'OPEN';

export type ConfirmPaymentIntentInput = {
  id: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  /** A PaymentMethod id created client-side by Stripe.js (test mode: pm_card_visa, pm_card_chargeDeclined, …). */
  paymentMethod: Scalars['String']['input'];
  /** Where a redirect-based payment method sends the customer back to; required for those. */
  returnUrl?: InputMaybe<Scalars['String']['input']>;
};

export type CreateBillingSubscriptionInput = {
  customerId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  metadata?: InputMaybe<Array<MetadataEntryInput>>;
  /** ALLOW_INCOMPLETE (Stripe's default) when omitted. */
  paymentBehavior?: InputMaybe<PaymentBehavior>;
  priceId: Scalars['ID']['input'];
  quantity?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateCheckoutSessionInput = {
  cancelUrl?: InputMaybe<Scalars['String']['input']>;
  /** For SETUP sessions (the others take the price's currency). */
  currency?: InputMaybe<Scalars['String']['input']>;
  customerId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  mode: CheckoutSessionMode;
  /** A one-time price for PAYMENT, a recurring one for SUBSCRIPTION; none for SETUP. */
  priceId?: InputMaybe<Scalars['ID']['input']>;
  quantity?: InputMaybe<Scalars['Int']['input']>;
  /** Where Stripe sends the customer after paying; `{CHECKOUT_SESSION_ID}` is replaced by the session's id. */
  successUrl: Scalars['String']['input'];
};

export type CreateCustomerInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  /** Recommended: makes a retried creation return the first customer instead of a duplicate. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  metadata?: InputMaybe<Array<MetadataEntryInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Every mutation that moves money takes an `idempotencyKey` chosen by the client (a UUID per user action).
 * Retrying with the same key and input never repeats the effect; it returns the first result. The same key
 * with different input fails with IDEMPOTENCY_CONFLICT.
 */
export type CreatePaymentIntentInput = {
  /**
   * Offer payment methods that redirect the customer (bank redirects, some wallets). They need a `returnUrl`
   * at confirmation; off by default, so cards confirm without one.
   */
  allowRedirects?: InputMaybe<Scalars['Boolean']['input']>;
  /** Minor units, at least 50 (Stripe's minimum for most currencies). */
  amount: Scalars['Int']['input'];
  /** MANUAL holds the amount at confirmation (REQUIRES_CAPTURE) until `capturePaymentIntent`; AUTOMATIC when omitted. */
  captureMethod?: InputMaybe<CaptureMethod>;
  currency: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
  metadata?: InputMaybe<Array<MetadataEntryInput>>;
};

export type CreatePaymentIntentPayload = {
  __typename?: 'CreatePaymentIntentPayload';
  /**
   * Handed to Stripe.js (`stripe.confirmCardPayment(clientSecret, …)`) so that card details go from the
   * client straight to Stripe and never through this gateway. Returned only here, to the creator.
   */
  clientSecret: Scalars['String']['output'];
  paymentIntent: PaymentIntent;
};

export type CreateSetupIntentInput = {
  customerId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  /** Confirm at once with this PaymentMethod; without it, the frontend confirms with `clientSecret`. */
  paymentMethodId?: InputMaybe<Scalars['ID']['input']>;
  /** Where a 3-D Secure redirect sends the customer back to; without it, Stripe.js handles the challenge (`use_stripe_sdk`). */
  returnUrl?: InputMaybe<Scalars['String']['input']>;
  usage?: InputMaybe<SetupUsage>;
};

/** A Stripe customer, joinable from other subgraphs by `id`. */
export type Customer = {
  __typename?: 'Customer';
  /** Credit (negative) or amount owed (positive) carried to the next invoice. */
  balance: Money;
  created: Scalars['DateTime']['output'];
  description: Maybe<Scalars['String']['output']>;
  email: Maybe<Scalars['String']['output']>;
  /** The linked GitHub account, with everything the GitHub subgraph knows about it. */
  github: Maybe<GitHubUser>;
  /** The GitHub login linked in the customer's metadata (`github_login`). */
  githubLogin: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Newest first. Page size 1 to 100. */
  invoices: Maybe<InvoiceConnection>;
  metadata: Array<MetadataEntry>;
  name: Maybe<Scalars['String']['output']>;
  /** Newest first. Page size 1 to 100. */
  paymentIntents: Maybe<PaymentIntentConnection>;
  /** Cards saved to this customer (Stripe's PaymentMethods), newest first; at most 100. */
  paymentMethods: Array<PaymentMethod>;
  phone: Maybe<Scalars['String']['output']>;
  /** The customer's files prefix in storage (`storage_prefix`). */
  storagePrefix: Maybe<Scalars['String']['output']>;
  /** Newest first. Page size 1 to 100. */
  subscriptions: Maybe<BillingSubscriptionConnection>;
  /** The linked X (Twitter) account, with everything the Twitter subgraph knows about it. */
  twitter: Maybe<TwitterUser>;
  /** The Twitter/X username linked in the customer's metadata (`twitter_username`). */
  twitterUsername: Maybe<Scalars['String']['output']>;
};


/** A Stripe customer, joinable from other subgraphs by `id`. */
export type CustomerInvoicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A Stripe customer, joinable from other subgraphs by `id`. */
export type CustomerPaymentIntentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A Stripe customer, joinable from other subgraphs by `id`. */
export type CustomerSubscriptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<BillingSubscriptionStatus>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  edges: Array<CustomerEdge>;
  nodes: Array<Customer>;
  pageInfo: PageInfo;
};

export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  cursor: Scalars['String']['output'];
  node: Customer;
};

/** A GitHub account, resolved by the GitHub subgraph. */
export type GitHubUser = {
  __typename?: 'GitHubUser';
  login: Scalars['String']['output'];
};

export type Invoice = {
  __typename?: 'Invoice';
  amountDue: Money;
  amountPaid: Money;
  created: Scalars['DateTime']['output'];
  customer: Maybe<Customer>;
  hostedInvoiceUrl: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  number: Maybe<Scalars['String']['output']>;
  /**
   * The payment intent that pays this invoice (Stripe's `payments`): for the first invoice of an INCOMPLETE
   * subscription, the one to confirm with its `clientSecret`. Null when the invoice has none (paid otherwise, draft).
   */
  paymentIntent: Maybe<PaymentIntent>;
  status: Maybe<Scalars['String']['output']>;
  total: Money;
};

export type InvoiceConnection = {
  __typename?: 'InvoiceConnection';
  edges: Array<InvoiceEdge>;
  nodes: Array<Invoice>;
  pageInfo: PageInfo;
};

export type InvoiceEdge = {
  __typename?: 'InvoiceEdge';
  cursor: Scalars['String']['output'];
  node: Invoice;
};

/** A user-defined metadata pair (`x-amz-meta-*` on S3, `metadata` on Stripe). */
export type MetadataEntry = {
  __typename?: 'MetadataEntry';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type MetadataEntryInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

/** An amount of money in a currency's smallest unit (cents for USD, yen for JPY). */
export type Money = {
  __typename?: 'Money';
  /** Integer amount in minor units: 1999 is $19.99. */
  amount: Scalars['Int']['output'];
  /** Lower-case ISO 4217 code, as Stripe writes it (usd). */
  currency: Scalars['String']['output'];
  /** For display, in en-US conventions: $19.99, ¥500. */
  formatted: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Saves a card to the customer; CARD_DECLINED (with `declineCode`) when its issuer refuses it. */
  attachPaymentMethod: Maybe<PaymentMethod>;
  cancelBillingSubscription: Maybe<BillingSubscription>;
  cancelPaymentIntent: Maybe<PaymentIntent>;
  /** Captures a REQUIRES_CAPTURE (manual capture) payment, whole or in part. Admin only, like refunds. */
  capturePaymentIntent: Maybe<PaymentIntent>;
  confirmPaymentIntent: Maybe<PaymentIntent>;
  createBillingSubscription: Maybe<BillingSubscription>;
  /** A Stripe-hosted page that takes a payment, saves a card or starts a subscription. */
  createCheckoutSession: Maybe<CheckoutSession>;
  createCustomer: Maybe<Customer>;
  createPaymentIntent: Maybe<CreatePaymentIntentPayload>;
  /** Saves a card for later (off-session) payments, through 3-D Secure where the card asks for it. */
  createSetupIntent: Maybe<SetupIntent>;
  /** Removes a saved card from its customer (and as their default). */
  detachPaymentMethod: Maybe<PaymentMethod>;
  refundPaymentIntent: Maybe<Refund>;
  setDefaultPaymentMethod: Maybe<Customer>;
  updateCustomer: Maybe<Customer>;
};


export type MutationAttachPaymentMethodArgs = {
  input: AttachPaymentMethodInput;
};


export type MutationCancelBillingSubscriptionArgs = {
  input: CancelBillingSubscriptionInput;
};


export type MutationCancelPaymentIntentArgs = {
  input: CancelPaymentIntentInput;
};


export type MutationCapturePaymentIntentArgs = {
  input: CapturePaymentIntentInput;
};


export type MutationConfirmPaymentIntentArgs = {
  input: ConfirmPaymentIntentInput;
};


export type MutationCreateBillingSubscriptionArgs = {
  input: CreateBillingSubscriptionInput;
};


export type MutationCreateCheckoutSessionArgs = {
  input: CreateCheckoutSessionInput;
};


export type MutationCreateCustomerArgs = {
  input: CreateCustomerInput;
};


export type MutationCreatePaymentIntentArgs = {
  input: CreatePaymentIntentInput;
};


export type MutationCreateSetupIntentArgs = {
  input: CreateSetupIntentInput;
};


export type MutationDetachPaymentMethodArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRefundPaymentIntentArgs = {
  input: RefundPaymentIntentInput;
};


export type MutationSetDefaultPaymentMethodArgs = {
  input: SetDefaultPaymentMethodInput;
};


export type MutationUpdateCustomerArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCustomerInput;
};

/**
 * What the customer must do before a payment or setup can go on (Stripe's `next_action`), usually 3-D Secure.
 * Shown only to the owning customer or an admin.
 */
export type NextAction = {
  __typename?: 'NextAction';
  /** Where to send the customer's browser, for `redirect_to_url`; it returns to the `returnUrl` given at confirmation. */
  redirectUrl: Maybe<Scalars['String']['output']>;
  /** Stripe's `next_action.type`: `redirect_to_url` (send the browser to `redirectUrl`), `use_stripe_sdk` (Stripe.js handles it with the client secret), or another of Stripe's. */
  type: Scalars['String']['output'];
};

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/** Stripe's `payment_behavior`: what happens when the first invoice cannot be paid at once. */
export type PaymentBehavior =
  /** Charge the default payment method; INCOMPLETE when that fails or needs 3-D Secure (Stripe's default). */
  | 'ALLOW_INCOMPLETE'
  /** Never charge at creation: INCOMPLETE, its first invoice's payment intent to be confirmed by the frontend. */
  | 'DEFAULT_INCOMPLETE'
  /** Charge now or create nothing: a decline is CARD_DECLINED. */
  | 'ERROR_IF_INCOMPLETE';

export type PaymentCard = {
  __typename?: 'PaymentCard';
  /** visa, mastercard, amex, … */
  brand: Scalars['String']['output'];
  country: Maybe<Scalars['String']['output']>;
  expMonth: Scalars['Int']['output'];
  expYear: Scalars['Int']['output'];
  /** credit, debit, prepaid or unknown. */
  funding: Maybe<Scalars['String']['output']>;
  last4: Scalars['String']['output'];
};

/** Why the last payment attempt failed. */
export type PaymentError = {
  __typename?: 'PaymentError';
  /** Stripe's error code, e.g. card_declined. */
  code: Maybe<Scalars['String']['output']>;
  /** The card issuer's reason, e.g. insufficient_funds. */
  declineCode: Maybe<Scalars['String']['output']>;
  message: Maybe<Scalars['String']['output']>;
};

/** Something that happened to a payment, from Stripe's verified webhooks. */
export type PaymentEvent = {
  __typename?: 'PaymentEvent';
  customer: Maybe<Customer>;
  /** Stripe's event id. Pass the last one received as `afterEventId` when resubscribing, to get what was missed. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** The payment intent as it is now. */
  paymentIntent: Maybe<PaymentIntent>;
  /** `payment.created`, `payment.succeeded`, `payment.failed`, `payment.canceled`, `payment.processing`, `payment.requires_action` or `payment.refunded`. */
  type: Scalars['String']['output'];
};

export type PaymentIntent = {
  __typename?: 'PaymentIntent';
  amount: Money;
  /** What is still capturable of a REQUIRES_CAPTURE payment (manual capture). */
  amountCapturable: Money;
  amountReceived: Money;
  canceledAt: Maybe<Scalars['DateTime']['output']>;
  cancellationReason: Maybe<Scalars['String']['output']>;
  /** AUTOMATIC, or MANUAL: the payment is held (REQUIRES_CAPTURE) until an admin captures it. */
  captureMethod: CaptureMethod;
  /**
   * Handed to Stripe.js (`stripe.confirmCardPayment(clientSecret)`, `handleNextAction`) to confirm this payment
   * in the browser, e.g. the first payment of an INCOMPLETE subscription. Only the owning customer (with
   * `payments:write`) or an admin may read it: FORBIDDEN and null for anyone else.
   */
  clientSecret: Maybe<Scalars['String']['output']>;
  created: Scalars['DateTime']['output'];
  customer: Maybe<Customer>;
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastPaymentError: Maybe<PaymentError>;
  metadata: Array<MetadataEntry>;
  /** Set while the status is REQUIRES_ACTION: what the customer must do (3-D Secure). Owner or admin only, as `clientSecret`. */
  nextAction: Maybe<NextAction>;
  /** Refunds of this payment, newest first. */
  refunds: Array<Refund>;
  status: PaymentIntentStatus;
};

export type PaymentIntentConnection = {
  __typename?: 'PaymentIntentConnection';
  edges: Array<PaymentIntentEdge>;
  nodes: Array<PaymentIntent>;
  pageInfo: PageInfo;
};

export type PaymentIntentEdge = {
  __typename?: 'PaymentIntentEdge';
  cursor: Scalars['String']['output'];
  node: PaymentIntent;
};

export type PaymentIntentStatus =
  | 'CANCELED'
  | 'PROCESSING'
  | 'REQUIRES_ACTION'
  | 'REQUIRES_CAPTURE'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_PAYMENT_METHOD'
  | 'SUCCEEDED';

/** A card saved to a customer. Only what a wallet screen shows: never the number. */
export type PaymentMethod = {
  __typename?: 'PaymentMethod';
  card: Maybe<PaymentCard>;
  created: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Whether it is the customer's default for invoices and subscriptions (`invoice_settings.default_payment_method`). */
  isDefault: Scalars['Boolean']['output'];
  /** `card` for every method this gateway saves. */
  type: Scalars['String']['output'];
};

export type Price = {
  __typename?: 'Price';
  active: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  nickname: Maybe<Scalars['String']['output']>;
  product: Product;
  /** Null for one-time prices. */
  recurring: Maybe<PriceRecurrence>;
  /** Null for prices that are not a fixed amount (metered, tiered). */
  unitAmount: Maybe<Money>;
};

export type PriceInterval =
  | 'DAY'
  | 'MONTH'
  | 'WEEK'
  | 'YEAR';

export type PriceRecurrence = {
  __typename?: 'PriceRecurrence';
  interval: PriceInterval;
  intervalCount: Scalars['Int']['output'];
};

export type Product = {
  __typename?: 'Product';
  active: Scalars['Boolean']['output'];
  defaultPrice: Maybe<Price>;
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Active prices of this product. */
  prices: Array<Price>;
};

export type ProductConnection = {
  __typename?: 'ProductConnection';
  edges: Array<ProductEdge>;
  nodes: Array<Product>;
  pageInfo: PageInfo;
};

export type ProductEdge = {
  __typename?: 'ProductEdge';
  cursor: Scalars['String']['output'];
  node: Product;
};

export type Query = {
  __typename?: 'Query';
  /** One Checkout Session, e.g. to see it COMPLETE after the customer comes back to `successUrl`. */
  checkoutSession: Maybe<CheckoutSession>;
  /** One customer; NOT_FOUND when the id is unknown or deleted. */
  customer: Maybe<Customer>;
  /** Customers, newest first; `email` filters by exact address. Page size 1 to 100. */
  customers: Maybe<CustomerConnection>;
  /** One payment intent; NOT_FOUND when the id is unknown. */
  paymentIntent: Maybe<PaymentIntent>;
  /** The product catalogue with prices. Page size 1 to 100. */
  products: Maybe<ProductConnection>;
  /** The signed-in caller's own view across every provider; each subgraph contributes its fields. Null when anonymous. */
  viewer: Maybe<Viewer>;
};


export type QueryCheckoutSessionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPaymentIntentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Refund = {
  __typename?: 'Refund';
  amount: Money;
  created: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  reason: Maybe<Scalars['String']['output']>;
  status: Scalars['String']['output'];
};

export type RefundPaymentIntentInput = {
  /** Minor units; the whole remaining amount when omitted. */
  amount?: InputMaybe<Scalars['Int']['input']>;
  idempotencyKey: Scalars['String']['input'];
  paymentIntentId: Scalars['ID']['input'];
  reason?: InputMaybe<RefundReason>;
};

export type RefundReason =
  | 'DUPLICATE'
  | 'FRAUDULENT'
  | 'REQUESTED_BY_CUSTOMER';

export type SetDefaultPaymentMethodInput = {
  customerId: Scalars['ID']['input'];
  /** One of the customer's own payment methods. */
  paymentMethodId: Scalars['ID']['input'];
};

/** Saving a card for later payments without charging it now (Stripe's SetupIntent). */
export type SetupIntent = {
  __typename?: 'SetupIntent';
  /** For Stripe.js (`stripe.confirmCardSetup(clientSecret)`); returned only to the customer who created it (or an admin). */
  clientSecret: Maybe<Scalars['String']['output']>;
  created: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Why the last attempt failed (a declined card, a failed authentication). */
  lastSetupError: Maybe<PaymentError>;
  /** Set while the status is REQUIRES_ACTION (3-D Secure). */
  nextAction: Maybe<NextAction>;
  /** The card being saved, once one is given. */
  paymentMethodId: Maybe<Scalars['ID']['output']>;
  status: SetupIntentStatus;
};

export type SetupIntentStatus =
  | 'CANCELED'
  | 'PROCESSING'
  | 'REQUIRES_ACTION'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_PAYMENT_METHOD'
  | 'SUCCEEDED';

export type SetupUsage =
  /** The card will be charged while the customer is away (renewals): authenticate now. */
  | 'OFF_SESSION'
  | 'ON_SESSION';

export type Subscription = {
  __typename?: 'Subscription';
  /** Payment events of one customer (an admin may leave `customerId` out to watch every customer's). */
  paymentEvents: PaymentEvent;
};


export type SubscriptionPaymentEventsArgs = {
  afterEventId?: InputMaybe<Scalars['ID']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
};

/** An X (Twitter) account, resolved by the Twitter subgraph. */
export type TwitterUser = {
  __typename?: 'TwitterUser';
  username: Scalars['String']['output'];
};

export type UpdateCustomerInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  /** Entries to set; an empty value removes the key. */
  metadata?: InputMaybe<Array<MetadataEntryInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

/** The signed-in caller. Each subgraph adds the caller's own data from its provider. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The Stripe customer linked to the caller, with their payment intents, subscriptions and invoices. */
  customer: Maybe<Customer>;
  /** The caller's subject (the token's `sub`). */
  id: Scalars['ID']['output'];
};



export type ResolverTypeWrapper<T> = T | Promise<T>;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  BillingSubscription: BillingSubscription;
  Customer: Customer;
  Invoice: Invoice;
  PaymentIntent: PaymentIntent;
  Price: Price;
  Product: Product;
  Viewer: Viewer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  BillingSubscription:
    ( { __typename: 'BillingSubscription' }
    & GraphQLRecursivePick<FederationTypes['BillingSubscription'], {"id":true}> );
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Invoice:
    ( { __typename: 'Invoice' }
    & GraphQLRecursivePick<FederationTypes['Invoice'], {"id":true}> );
  PaymentIntent:
    ( { __typename: 'PaymentIntent' }
    & GraphQLRecursivePick<FederationTypes['PaymentIntent'], {"id":true}> );
  Price:
    ( { __typename: 'Price' }
    & GraphQLRecursivePick<FederationTypes['Price'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Viewer:
    ( { __typename: 'Viewer' }
    & GraphQLRecursivePick<FederationTypes['Viewer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AttachPaymentMethodInput: AttachPaymentMethodInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BillingSubscription: ResolverTypeWrapper<BillingSubscriptionModel>;
  BillingSubscriptionConnection: ResolverTypeWrapper<BillingSubscriptionPageModel>;
  BillingSubscriptionEdge: ResolverTypeWrapper<Omit<BillingSubscriptionEdge, 'node'> & { node: ResolversTypes['BillingSubscription'] }>;
  BillingSubscriptionItem: ResolverTypeWrapper<BillingSubscriptionItemModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  BillingSubscriptionStatus: BillingSubscriptionStatus;
  CancelBillingSubscriptionInput: CancelBillingSubscriptionInput;
  CancelPaymentIntentInput: CancelPaymentIntentInput;
  CancellationReason: CancellationReason;
  CaptureMethod: CaptureMethod;
  CapturePaymentIntentInput: CapturePaymentIntentInput;
  CheckoutSession: ResolverTypeWrapper<Omit<CheckoutSession, 'amountTotal'> & { amountTotal?: Maybe<ResolversTypes['Money']> }>;
  CheckoutSessionMode: CheckoutSessionMode;
  CheckoutSessionStatus: CheckoutSessionStatus;
  ConfirmPaymentIntentInput: ConfirmPaymentIntentInput;
  CreateBillingSubscriptionInput: CreateBillingSubscriptionInput;
  CreateCheckoutSessionInput: CreateCheckoutSessionInput;
  CreateCustomerInput: CreateCustomerInput;
  CreatePaymentIntentInput: CreatePaymentIntentInput;
  CreatePaymentIntentPayload: ResolverTypeWrapper<Omit<CreatePaymentIntentPayload, 'paymentIntent'> & { paymentIntent: ResolversTypes['PaymentIntent'] }>;
  CreateSetupIntentInput: CreateSetupIntentInput;
  Customer: ResolverTypeWrapper<CustomerModel>;
  CustomerConnection: ResolverTypeWrapper<CustomerPageModel>;
  CustomerEdge: ResolverTypeWrapper<Omit<CustomerEdge, 'node'> & { node: ResolversTypes['Customer'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  GitHubUser: ResolverTypeWrapper<GitHubUser>;
  Invoice: ResolverTypeWrapper<InvoiceModel>;
  InvoiceConnection: ResolverTypeWrapper<InvoicePageModel>;
  InvoiceEdge: ResolverTypeWrapper<Omit<InvoiceEdge, 'node'> & { node: ResolversTypes['Invoice'] }>;
  MetadataEntry: ResolverTypeWrapper<MetadataEntry>;
  MetadataEntryInput: MetadataEntryInput;
  Money: ResolverTypeWrapper<MoneyModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NextAction: ResolverTypeWrapper<NextAction>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PaymentBehavior: PaymentBehavior;
  PaymentCard: ResolverTypeWrapper<PaymentCard>;
  PaymentError: ResolverTypeWrapper<PaymentError>;
  PaymentEvent: ResolverTypeWrapper<DomainEvent>;
  PaymentIntent: ResolverTypeWrapper<PaymentIntentModel>;
  PaymentIntentConnection: ResolverTypeWrapper<PaymentIntentPageModel>;
  PaymentIntentEdge: ResolverTypeWrapper<Omit<PaymentIntentEdge, 'node'> & { node: ResolversTypes['PaymentIntent'] }>;
  PaymentIntentStatus: PaymentIntentStatus;
  PaymentMethod: ResolverTypeWrapper<PaymentMethod>;
  Price: ResolverTypeWrapper<PriceModel>;
  PriceInterval: PriceInterval;
  PriceRecurrence: ResolverTypeWrapper<PriceRecurrence>;
  Product: ResolverTypeWrapper<ProductModel>;
  ProductConnection: ResolverTypeWrapper<ProductPageModel>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Refund: ResolverTypeWrapper<RefundModel>;
  RefundPaymentIntentInput: RefundPaymentIntentInput;
  RefundReason: RefundReason;
  SetDefaultPaymentMethodInput: SetDefaultPaymentMethodInput;
  SetupIntent: ResolverTypeWrapper<SetupIntent>;
  SetupIntentStatus: SetupIntentStatus;
  SetupUsage: SetupUsage;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TwitterUser: ResolverTypeWrapper<TwitterUser>;
  UpdateCustomerInput: UpdateCustomerInput;
  Viewer: ResolverTypeWrapper<ViewerModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AttachPaymentMethodInput: AttachPaymentMethodInput;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  BillingSubscription: BillingSubscriptionModel;
  BillingSubscriptionConnection: BillingSubscriptionPageModel;
  BillingSubscriptionEdge: Omit<BillingSubscriptionEdge, 'node'> & { node: ResolversParentTypes['BillingSubscription'] };
  BillingSubscriptionItem: BillingSubscriptionItemModel;
  Int: Scalars['Int']['output'];
  CancelBillingSubscriptionInput: CancelBillingSubscriptionInput;
  CancelPaymentIntentInput: CancelPaymentIntentInput;
  CapturePaymentIntentInput: CapturePaymentIntentInput;
  CheckoutSession: Omit<CheckoutSession, 'amountTotal'> & { amountTotal?: Maybe<ResolversParentTypes['Money']> };
  ConfirmPaymentIntentInput: ConfirmPaymentIntentInput;
  CreateBillingSubscriptionInput: CreateBillingSubscriptionInput;
  CreateCheckoutSessionInput: CreateCheckoutSessionInput;
  CreateCustomerInput: CreateCustomerInput;
  CreatePaymentIntentInput: CreatePaymentIntentInput;
  CreatePaymentIntentPayload: Omit<CreatePaymentIntentPayload, 'paymentIntent'> & { paymentIntent: ResolversParentTypes['PaymentIntent'] };
  CreateSetupIntentInput: CreateSetupIntentInput;
  Customer: CustomerModel;
  CustomerConnection: CustomerPageModel;
  CustomerEdge: Omit<CustomerEdge, 'node'> & { node: ResolversParentTypes['Customer'] };
  DateTime: Scalars['DateTime']['output'];
  GitHubUser: GitHubUser;
  Invoice: InvoiceModel;
  InvoiceConnection: InvoicePageModel;
  InvoiceEdge: Omit<InvoiceEdge, 'node'> & { node: ResolversParentTypes['Invoice'] };
  MetadataEntry: MetadataEntry;
  MetadataEntryInput: MetadataEntryInput;
  Money: MoneyModel;
  Mutation: Record<PropertyKey, never>;
  NextAction: NextAction;
  PageInfo: PageInfo;
  PaymentCard: PaymentCard;
  PaymentError: PaymentError;
  PaymentEvent: DomainEvent;
  PaymentIntent: PaymentIntentModel;
  PaymentIntentConnection: PaymentIntentPageModel;
  PaymentIntentEdge: Omit<PaymentIntentEdge, 'node'> & { node: ResolversParentTypes['PaymentIntent'] };
  PaymentMethod: PaymentMethod;
  Price: PriceModel;
  PriceRecurrence: PriceRecurrence;
  Product: ProductModel;
  ProductConnection: ProductPageModel;
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  Query: Record<PropertyKey, never>;
  Refund: RefundModel;
  RefundPaymentIntentInput: RefundPaymentIntentInput;
  SetDefaultPaymentMethodInput: SetDefaultPaymentMethodInput;
  SetupIntent: SetupIntent;
  Subscription: Record<PropertyKey, never>;
  TwitterUser: TwitterUser;
  UpdateCustomerInput: UpdateCustomerInput;
  Viewer: ViewerModel;
};

export type BillingSubscriptionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['BillingSubscription'] = ResolversParentTypes['BillingSubscription'], FederationReferenceType extends FederationReferenceTypes['BillingSubscription'] = FederationReferenceTypes['BillingSubscription']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BillingSubscription']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cancelAtPeriodEnd?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canceledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['BillingSubscriptionItem']>, ParentType, ContextType>;
  latestInvoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  metadata?: Resolver<Array<ResolversTypes['MetadataEntry']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BillingSubscriptionStatus'], ParentType, ContextType>;
};

export type BillingSubscriptionConnectionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['BillingSubscriptionConnection'] = ResolversParentTypes['BillingSubscriptionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BillingSubscriptionEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['BillingSubscription']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type BillingSubscriptionEdgeResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['BillingSubscriptionEdge'] = ResolversParentTypes['BillingSubscriptionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BillingSubscription'], ParentType, ContextType>;
};

export type BillingSubscriptionItemResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['BillingSubscriptionItem'] = ResolversParentTypes['BillingSubscriptionItem']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Price'], ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type CheckoutSessionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['CheckoutSession'] = ResolversParentTypes['CheckoutSession']> = {
  amountTotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['CheckoutSessionMode'], ParentType, ContextType>;
  paymentStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CheckoutSessionStatus'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type CreatePaymentIntentPayloadResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['CreatePaymentIntentPayload'] = ResolversParentTypes['CreatePaymentIntentPayload']> = {
  clientSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paymentIntent?: Resolver<ResolversTypes['PaymentIntent'], ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  balance?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  github?: Resolver<Maybe<ResolversTypes['GitHubUser']>, ParentType, ContextType>;
  githubLogin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoices?: Resolver<Maybe<ResolversTypes['InvoiceConnection']>, ParentType, ContextType, RequireFields<CustomerInvoicesArgs, 'first'>>;
  metadata?: Resolver<Array<ResolversTypes['MetadataEntry']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  paymentIntents?: Resolver<Maybe<ResolversTypes['PaymentIntentConnection']>, ParentType, ContextType, RequireFields<CustomerPaymentIntentsArgs, 'first'>>;
  paymentMethods?: Resolver<Array<ResolversTypes['PaymentMethod']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  storagePrefix?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subscriptions?: Resolver<Maybe<ResolversTypes['BillingSubscriptionConnection']>, ParentType, ContextType, RequireFields<CustomerSubscriptionsArgs, 'first'>>;
  twitter?: Resolver<Maybe<ResolversTypes['TwitterUser']>, ParentType, ContextType>;
  twitterUsername?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type CustomerConnectionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['CustomerConnection'] = ResolversParentTypes['CustomerConnection']> = {
  edges?: Resolver<Array<ResolversTypes['CustomerEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Customer']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type CustomerEdgeResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['CustomerEdge'] = ResolversParentTypes['CustomerEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type GitHubUserResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['GitHubUser'] = ResolversParentTypes['GitHubUser']> = {
  login?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InvoiceResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Invoice'] = ResolversParentTypes['Invoice'], FederationReferenceType extends FederationReferenceTypes['Invoice'] = FederationReferenceTypes['Invoice']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Invoice']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amountDue?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountPaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  hostedInvoiceUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  number?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  paymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type InvoiceConnectionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['InvoiceConnection'] = ResolversParentTypes['InvoiceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['InvoiceEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Invoice']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type InvoiceEdgeResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['InvoiceEdge'] = ResolversParentTypes['InvoiceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Invoice'], ParentType, ContextType>;
};

export type MetadataEntryResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['MetadataEntry'] = ResolversParentTypes['MetadataEntry']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  formatted?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  attachPaymentMethod?: Resolver<Maybe<ResolversTypes['PaymentMethod']>, ParentType, ContextType, RequireFields<MutationAttachPaymentMethodArgs, 'input'>>;
  cancelBillingSubscription?: Resolver<Maybe<ResolversTypes['BillingSubscription']>, ParentType, ContextType, RequireFields<MutationCancelBillingSubscriptionArgs, 'input'>>;
  cancelPaymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType, RequireFields<MutationCancelPaymentIntentArgs, 'input'>>;
  capturePaymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType, RequireFields<MutationCapturePaymentIntentArgs, 'input'>>;
  confirmPaymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType, RequireFields<MutationConfirmPaymentIntentArgs, 'input'>>;
  createBillingSubscription?: Resolver<Maybe<ResolversTypes['BillingSubscription']>, ParentType, ContextType, RequireFields<MutationCreateBillingSubscriptionArgs, 'input'>>;
  createCheckoutSession?: Resolver<Maybe<ResolversTypes['CheckoutSession']>, ParentType, ContextType, RequireFields<MutationCreateCheckoutSessionArgs, 'input'>>;
  createCustomer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<MutationCreateCustomerArgs, 'input'>>;
  createPaymentIntent?: Resolver<Maybe<ResolversTypes['CreatePaymentIntentPayload']>, ParentType, ContextType, RequireFields<MutationCreatePaymentIntentArgs, 'input'>>;
  createSetupIntent?: Resolver<Maybe<ResolversTypes['SetupIntent']>, ParentType, ContextType, RequireFields<MutationCreateSetupIntentArgs, 'input'>>;
  detachPaymentMethod?: Resolver<Maybe<ResolversTypes['PaymentMethod']>, ParentType, ContextType, RequireFields<MutationDetachPaymentMethodArgs, 'id'>>;
  refundPaymentIntent?: Resolver<Maybe<ResolversTypes['Refund']>, ParentType, ContextType, RequireFields<MutationRefundPaymentIntentArgs, 'input'>>;
  setDefaultPaymentMethod?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<MutationSetDefaultPaymentMethodArgs, 'input'>>;
  updateCustomer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<MutationUpdateCustomerArgs, 'id' | 'input'>>;
};

export type NextActionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['NextAction'] = ResolversParentTypes['NextAction']> = {
  redirectUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PaymentCardResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentCard'] = ResolversParentTypes['PaymentCard']> = {
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  expYear?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  funding?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PaymentErrorResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentError'] = ResolversParentTypes['PaymentError']> = {
  code?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  declineCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PaymentEventResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentEvent'] = ResolversParentTypes['PaymentEvent']> = {
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  paymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PaymentIntentResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentIntent'] = ResolversParentTypes['PaymentIntent'], FederationReferenceType extends FederationReferenceTypes['PaymentIntent'] = FederationReferenceTypes['PaymentIntent']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['PaymentIntent']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountCapturable?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountReceived?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  canceledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  cancellationReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  captureMethod?: Resolver<ResolversTypes['CaptureMethod'], ParentType, ContextType>;
  clientSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastPaymentError?: Resolver<Maybe<ResolversTypes['PaymentError']>, ParentType, ContextType>;
  metadata?: Resolver<Array<ResolversTypes['MetadataEntry']>, ParentType, ContextType>;
  nextAction?: Resolver<Maybe<ResolversTypes['NextAction']>, ParentType, ContextType>;
  refunds?: Resolver<Array<ResolversTypes['Refund']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentIntentStatus'], ParentType, ContextType>;
};

export type PaymentIntentConnectionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentIntentConnection'] = ResolversParentTypes['PaymentIntentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PaymentIntentEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['PaymentIntent']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type PaymentIntentEdgeResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentIntentEdge'] = ResolversParentTypes['PaymentIntentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['PaymentIntent'], ParentType, ContextType>;
};

export type PaymentMethodResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PaymentMethod'] = ResolversParentTypes['PaymentMethod']> = {
  card?: Resolver<Maybe<ResolversTypes['PaymentCard']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PriceResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Price'] = ResolversParentTypes['Price'], FederationReferenceType extends FederationReferenceTypes['Price'] = FederationReferenceTypes['Price']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Price']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nickname?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  recurring?: Resolver<Maybe<ResolversTypes['PriceRecurrence']>, ParentType, ContextType>;
  unitAmount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
};

export type PriceRecurrenceResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['PriceRecurrence'] = ResolversParentTypes['PriceRecurrence']> = {
  interval?: Resolver<ResolversTypes['PriceInterval'], ParentType, ContextType>;
  intervalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ProductResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  defaultPrice?: Resolver<Maybe<ResolversTypes['Price']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prices?: Resolver<Array<ResolversTypes['Price']>, ParentType, ContextType>;
};

export type ProductConnectionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type ProductEdgeResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  checkoutSession?: Resolver<Maybe<ResolversTypes['CheckoutSession']>, ParentType, ContextType, RequireFields<QueryCheckoutSessionArgs, 'id'>>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customers?: Resolver<Maybe<ResolversTypes['CustomerConnection']>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'first'>>;
  paymentIntent?: Resolver<Maybe<ResolversTypes['PaymentIntent']>, ParentType, ContextType, RequireFields<QueryPaymentIntentArgs, 'id'>>;
  products?: Resolver<Maybe<ResolversTypes['ProductConnection']>, ParentType, ContextType, RequireFields<QueryProductsArgs, 'active' | 'first'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type RefundResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Refund'] = ResolversParentTypes['Refund']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SetupIntentResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['SetupIntent'] = ResolversParentTypes['SetupIntent']> = {
  clientSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastSetupError?: Resolver<Maybe<ResolversTypes['PaymentError']>, ParentType, ContextType>;
  nextAction?: Resolver<Maybe<ResolversTypes['NextAction']>, ParentType, ContextType>;
  paymentMethodId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SetupIntentStatus'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  paymentEvents?: SubscriptionResolver<ResolversTypes['PaymentEvent'], "paymentEvents", ParentType, ContextType, Partial<SubscriptionPaymentEventsArgs>>;
};

export type TwitterUserResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['TwitterUser'] = ResolversParentTypes['TwitterUser']> = {
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = StripeContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer'], FederationReferenceType extends FederationReferenceTypes['Viewer'] = FederationReferenceTypes['Viewer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Viewer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = StripeContext> = {
  BillingSubscription?: BillingSubscriptionResolvers<ContextType>;
  BillingSubscriptionConnection?: BillingSubscriptionConnectionResolvers<ContextType>;
  BillingSubscriptionEdge?: BillingSubscriptionEdgeResolvers<ContextType>;
  BillingSubscriptionItem?: BillingSubscriptionItemResolvers<ContextType>;
  CheckoutSession?: CheckoutSessionResolvers<ContextType>;
  CreatePaymentIntentPayload?: CreatePaymentIntentPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  CustomerConnection?: CustomerConnectionResolvers<ContextType>;
  CustomerEdge?: CustomerEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  GitHubUser?: GitHubUserResolvers<ContextType>;
  Invoice?: InvoiceResolvers<ContextType>;
  InvoiceConnection?: InvoiceConnectionResolvers<ContextType>;
  InvoiceEdge?: InvoiceEdgeResolvers<ContextType>;
  MetadataEntry?: MetadataEntryResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NextAction?: NextActionResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PaymentCard?: PaymentCardResolvers<ContextType>;
  PaymentError?: PaymentErrorResolvers<ContextType>;
  PaymentEvent?: PaymentEventResolvers<ContextType>;
  PaymentIntent?: PaymentIntentResolvers<ContextType>;
  PaymentIntentConnection?: PaymentIntentConnectionResolvers<ContextType>;
  PaymentIntentEdge?: PaymentIntentEdgeResolvers<ContextType>;
  PaymentMethod?: PaymentMethodResolvers<ContextType>;
  Price?: PriceResolvers<ContextType>;
  PriceRecurrence?: PriceRecurrenceResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Refund?: RefundResolvers<ContextType>;
  SetupIntent?: SetupIntentResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TwitterUser?: TwitterUserResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

