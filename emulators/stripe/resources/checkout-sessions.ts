import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { idOf } from '../reference.ts';
import { applyMetadata, expandField, field, pageFields, parseParams, required } from '../params.ts';
import { invalidRequest, resourceMissing, StripeApiError } from '../stripe-error.ts';
import { requirePrice } from './catalog.ts';
import { newCustomer, requireCustomer } from './customers.ts';
import { attemptPayment, completePaymentAuthentication } from './payment-attempts.ts';
import { newPaymentIntent } from './payment-intents.ts';
import { attachToCustomer, resolvePaymentMethod } from './payment-methods.ts';
import { completeSetupAuthentication, confirmSetup, newSetupIntent } from './setup-intents.ts';
import { createSubscription } from './subscriptions.ts';

const createFields = {
  mode: field.enum('payment', 'setup', 'subscription'),
  line_items: field.list(field.object({ price: field.string, quantity: field.integer })),
  customer: field.string,
  customer_email: field.string,
  success_url: field.string,
  cancel_url: field.string,
  client_reference_id: field.string,
  currency: field.string,
  metadata: field.metadata,
  payment_method_types: field.list(field.string),
  expand: expandField,
} as const;

/** A session can be completed for 24 hours (Stripe's default `expires_at`). */
const SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

/** Where the emulator's stand-in for the hosted Checkout page of a session lives. */
export function checkoutPageUrl(baseUrl: string, sessionId: string): string {
  return `${baseUrl}/_emulator/checkout/${sessionId}`;
}

export function requireCheckoutSession(context: ApiContext, id: string): Stripe.Checkout.Session {
  const session = context.store.checkoutSessions.get(id);
  if (!session) throw resourceMissing('checkout.session', id);
  return session;
}

export const createCheckoutSession: ApiHandler = ({ params }, context) => {
  const input = parseParams(createFields, params);
  const mode = required(input.mode, 'mode');
  if (input.customer) requireCustomer(context, input.customer, 'customer');
  const items = (input.line_items ?? []).map((item, index) => {
    const price = requirePrice(context, required(item.price, `line_items[${index}][price]`), `line_items[${index}][price]`);
    if (mode === 'subscription' && price.type !== 'recurring') {
      throw invalidRequest('You must provide at least one recurring price in `subscription` mode when using prices.', { param: `line_items[${index}][price]` });
    }
    if (mode === 'payment' && price.type === 'recurring') {
      throw invalidRequest('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', { param: `line_items[${index}][price]` });
    }
    return { price, quantity: item.quantity ?? 1 };
  });
  if (mode !== 'setup' && items.length === 0) throw invalidRequest('line_items is required in payment and subscription mode.', { code: 'parameter_missing', param: 'line_items' });
  if (mode === 'subscription' && items.length > 1) throw invalidRequest('The Stripe emulator supports subscriptions with one item.', { param: 'line_items' });
  if (mode === 'setup' && items.length > 0) throw invalidRequest('line_items cannot be used in setup mode.', { param: 'line_items' });
  const currency = items[0]?.price.currency ?? input.currency?.toLowerCase() ?? null;
  const total = mode === 'setup' ? null : items.reduce((sum, { price, quantity }) => sum + (price.unit_amount ?? 0) * quantity, 0);

  const id = `cs_test_${context.ids.next('cs').slice('cs_'.length)}`;
  const created = context.now();
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancel_url ?? null,
    client_reference_id: input.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer ?? null,
    customer_account: null,
    customer_creation: input.customer ? null : mode === 'payment' ? 'if_required' : 'always',
    customer_details: input.customer_email ? { address: null, business_name: null, email: input.customer_email, individual_name: null, name: null, phone: null, tax_exempt: 'none', tax_ids: null } : null,
    customer_email: input.customer_email ?? null,
    discounts: [],
    expires_at: created + SESSION_LIFETIME_SECONDS,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: applyMetadata({}, input.metadata),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === 'payment' ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.success_url ?? null,
    total_details: total === null ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: checkoutPageUrl(context.baseUrl, id),
    wallet_options: null,
  };
  checkExpandable(session, input.expand, context.store);
  context.store.checkoutSessions.insert(session);
  context.store.checkoutLineItems.set(id, items.map(({ price, quantity }) => ({ price: price.id, quantity })));
  return ok(expandObject(session, input.expand, context.store));
};

export const retrieveCheckoutSession: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  return ok(expandObject(requireCheckoutSession(context, id), expand, context.store));
};

export const expireCheckoutSession: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const before = requireCheckoutSession(context, id);
  if (before.status !== 'open') throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${before.status}".`);
  const after: Stripe.Checkout.Session = { ...before, status: 'expired', url: null };
  context.store.checkoutSessions.replace(after);
  context.emit('checkout.session.expired', after);
  return ok(expandObject(after, expand, context.store));
};

export const listCheckoutSessions: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, customer: field.string, payment_intent: field.string, subscription: field.string, status: field.enum('open', 'complete', 'expired') }, params);
  return listResult(
    context,
    '/v1/checkout/sessions',
    context.store.checkoutSessions.ordered(),
    (session) =>
      (input.customer === undefined || session.customer === input.customer) &&
      (input.payment_intent === undefined || session.payment_intent === input.payment_intent) &&
      (input.subscription === undefined || session.subscription === input.subscription) &&
      (input.status === undefined || session.status === input.status),
    input,
    'checkout.session',
  );
};

/**
 * The customer pays on the Checkout page with a test card, authenticating if the card asks for it:
 * Checkout creates and confirms the PaymentIntent (`payment`), the SetupIntent (`setup`) or the
 * Subscription (`subscription`), then the session is `complete` and `checkout.session.completed` is sent.
 * A declined card throws the 402 card error and leaves the session open, as the hosted page would.
 */
export function completeCheckoutSession(context: ApiContext, session: Stripe.Checkout.Session, paymentMethodReference: string): Stripe.Checkout.Session {
  if (session.status !== 'open') throw invalidRequest(`This Checkout Session is ${session.status ?? 'not open'}.`);
  const paymentMethod = resolvePaymentMethod(context, paymentMethodReference, 'payment_method');
  const customer = checkoutCustomer(context, session);
  let completed: Stripe.Checkout.Session = { ...session, customer: customer?.id ?? null };

  if (session.mode === 'payment') {
    const id = context.ids.next('pi');
    const opened = newPaymentIntent({
      id,
      clientSecret: context.ids.clientSecret(id),
      created: context.now(),
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      customer: customer?.id ?? null,
      description: null,
      metadata: {},
      paymentMethod: null,
      receiptEmail: null,
      automaticPaymentMethods: null,
      allowedPaymentMethodTypes: null,
      excludedPaymentMethodTypes: null,
      captureMethod: 'automatic_async',
    });
    context.store.paymentIntents.insert(opened);
    context.emit('payment_intent.created', opened);
    // The customer is on the page: a 3-D Secure challenge is answered there.
    const result = attemptPayment(context, opened, paymentMethod, { authenticated: true });
    completed = { ...completed, payment_intent: result.id, payment_status: result.status === 'succeeded' ? 'paid' : 'unpaid' };
  } else if (session.mode === 'setup') {
    const id = context.ids.next('seti');
    const opened: Stripe.SetupIntent = { ...newSetupIntent({ id, clientSecret: context.ids.clientSecret(id), created: context.now(), customer: customer?.id ?? null, description: null, metadata: {}, usage: 'off_session', automaticPaymentMethods: null }), payment_method: paymentMethod.id, status: 'requires_confirmation' };
    context.store.setupIntents.insert(opened);
    context.emit('setup_intent.created', opened);
    const confirmed = confirmSetup(context, opened, {});
    if (confirmed.status === 'requires_action') completeSetupAuthentication(context, confirmed, true);
    completed = { ...completed, setup_intent: id };
  } else {
    if (!customer) throw new Error('subscription mode always has a customer');
    attachToCustomer(context, paymentMethod, customer);
    const [item] = context.store.checkoutLineItems.get(session.id) ?? [];
    if (!item) throw new Error(`checkout session ${session.id} has no line item`);
    const created = createSubscription(
      { id: '', params: { customer: customer.id, items: [{ price: item.price, quantity: String(item.quantity) }], default_payment_method: paymentMethod.id, expand: ['latest_invoice.payments'] } },
      context,
    ).body as Stripe.Subscription;
    const invoice = created.latest_invoice as Stripe.Invoice;
    const paymentIntentId = invoice.payments?.data[0]?.payment.payment_intent;
    const waiting = typeof paymentIntentId === 'string' ? context.store.paymentIntents.get(paymentIntentId) : undefined;
    if (waiting?.status === 'requires_action') completePaymentAuthentication(context, waiting, true);
    const subscription = context.store.subscriptions.get(created.id);
    if (subscription?.status !== 'active') {
      throw new StripeApiError(402, { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
    }
    completed = { ...completed, subscription: created.id, invoice: invoice.id ?? null, payment_status: 'paid' };
  }
  completed = { ...completed, status: 'complete', url: null };
  context.store.checkoutSessions.replace(completed);
  context.emit('checkout.session.completed', completed);
  return completed;
}

/** The session's customer, or one Checkout creates from the email it collected (always, outside payment mode). */
function checkoutCustomer(context: ApiContext, session: Stripe.Checkout.Session): Stripe.Customer | undefined {
  if (session.customer !== null) return context.store.customers.get(idOf(session.customer));
  if (session.customer_creation !== 'always') return undefined;
  const customer = newCustomer({ id: context.ids.next('cus'), created: context.now(), email: session.customer_email });
  context.store.customers.insert(customer);
  context.emit('customer.created', customer);
  return customer;
}
