import type Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { cloneObject } from '../clone.ts';
import { checkExpandable, expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { idOf } from '../reference.ts';
import { applyMetadata, expandField, field, nullableString, pageFields, parseParams, type Params } from '../params.ts';
import { docUrlFor, invalidRequest, resourceMissing, StripeApiError } from '../stripe-error.ts';
import { requireCustomer } from './customers.ts';
import { threeDSecureAction } from './next-action.ts';
import { attachToCustomer, requireKnownPaymentMethod, resolvePaymentMethod } from './payment-methods.ts';

const automaticPaymentMethodsField = field.object({ enabled: field.boolean, allow_redirects: field.enum('always', 'never') });

const createFields = {
  customer: field.string,
  payment_method: field.string,
  payment_method_types: field.list(field.string),
  automatic_payment_methods: automaticPaymentMethodsField,
  usage: field.enum('on_session', 'off_session'),
  confirm: field.boolean,
  return_url: field.string,
  description: field.string,
  metadata: field.metadata,
  expand: expandField,
} as const;

const confirmFields = { payment_method: field.string, return_url: field.string, expand: expandField } as const;
type ConfirmParams = Params<typeof confirmFields>;

const CONFIRMABLE: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function requireSetupIntent(context: ApiContext, id: string): Stripe.SetupIntent {
  const setupIntent = context.store.setupIntents.get(id);
  if (!setupIntent) throw resourceMissing('setup_intent', id);
  return setupIntent;
}

export interface NewSetupIntent {
  id: string;
  clientSecret: string;
  created: number;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  usage: 'on_session' | 'off_session';
  automaticPaymentMethods: Stripe.SetupIntent.AutomaticPaymentMethods | null;
}

export function newSetupIntent(fields: NewSetupIntent): Stripe.SetupIntent {
  return {
    id: fields.id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: fields.automaticPaymentMethods,
    cancellation_reason: null,
    client_secret: fields.clientSecret,
    created: fields.created,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: fields.usage,
  };
}

export const createSetupIntent: ApiHandler = ({ params }, context) => {
  const input = parseParams(createFields, params);
  if (input.customer) requireCustomer(context, input.customer, 'customer');
  if (input.payment_method) requireKnownPaymentMethod(context, input.payment_method, 'payment_method');
  if (input.payment_method_types && !input.payment_method_types.includes('card')) {
    throw invalidRequest('The Stripe emulator sets up cards only: include `card` in payment_method_types.', { param: 'payment_method_types' });
  }
  const id = context.ids.next('seti');
  const setupIntent = newSetupIntent({
    id,
    clientSecret: context.ids.clientSecret(id),
    created: context.now(),
    customer: input.customer || null,
    description: nullableString(input.description, null),
    metadata: applyMetadata({}, input.metadata),
    usage: input.usage ?? 'off_session',
    automaticPaymentMethods:
      input.automatic_payment_methods || !input.payment_method_types
        ? { enabled: input.automatic_payment_methods?.enabled ?? true, ...(input.automatic_payment_methods?.allow_redirects ? { allow_redirects: input.automatic_payment_methods.allow_redirects } : {}) }
        : null,
  });
  checkExpandable(setupIntent, input.expand, context.store);
  if (input.confirm) checkConfirmable(setupIntent, input);
  const withMethod: Stripe.SetupIntent = input.payment_method
    ? { ...setupIntent, payment_method: resolvePaymentMethod(context, input.payment_method, 'payment_method').id, status: 'requires_confirmation' }
    : setupIntent;
  context.store.setupIntents.insert(withMethod);
  context.emit('setup_intent.created', withMethod);
  const result = input.confirm ? confirmSetup(context, withMethod, { return_url: input.return_url }) : withMethod;
  return ok(expandObject(result, input.expand, context.store));
};

export const retrieveSetupIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ client_secret: field.string, expand: expandField }, params);
  const setupIntent = requireSetupIntent(context, id);
  if (input.client_secret !== undefined && input.client_secret !== setupIntent.client_secret) {
    throw invalidRequest('The client_secret provided does not match the client_secret associated with the SetupIntent.', { param: 'client_secret' });
  }
  return ok(expandObject(setupIntent, input.expand, context.store));
};

export const confirmSetupIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams(confirmFields, params);
  const setupIntent = requireSetupIntent(context, id);
  checkExpandable(setupIntent, input.expand, context.store);
  checkConfirmable(setupIntent, input);
  if (input.payment_method) requireKnownPaymentMethod(context, input.payment_method, 'payment_method');
  return ok(expandObject(confirmSetup(context, setupIntent, input), input.expand, context.store));
};

export const cancelSetupIntent: ApiHandler = ({ params, id }, context) => {
  const input = parseParams({ cancellation_reason: field.enum('abandoned', 'duplicate', 'requested_by_customer'), expand: expandField }, params);
  const before = requireSetupIntent(context, id);
  if (!CANCELABLE.includes(before.status)) {
    throw setupUnexpectedState(`You cannot cancel this SetupIntent because it has a status of ${before.status}.`, before);
  }
  const after: Stripe.SetupIntent = { ...before, status: 'canceled', next_action: null, cancellation_reason: input.cancellation_reason ?? null };
  context.store.setupIntents.replace(after);
  context.emit('setup_intent.canceled', after);
  return ok(expandObject(after, input.expand, context.store));
};

export const listSetupIntents: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, customer: field.string, payment_method: field.string }, params);
  return listResult(
    context,
    '/v1/setup_intents',
    context.store.setupIntents.ordered(),
    (setupIntent) =>
      (input.customer === undefined || setupIntent.customer === input.customer) &&
      (input.payment_method === undefined || setupIntent.payment_method === input.payment_method),
    input,
    'setup_intent',
  );
};

function checkConfirmable(setupIntent: Stripe.SetupIntent, input: ConfirmParams): void {
  if (!CONFIRMABLE.includes(setupIntent.status)) {
    throw setupUnexpectedState(
      `You cannot confirm this SetupIntent because it has a status of ${setupIntent.status}. Only a SetupIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      setupIntent,
    );
  }
  if (!input.payment_method && !setupIntent.payment_method) {
    throw setupUnexpectedState("You cannot confirm this SetupIntent because it's missing a payment method.", setupIntent);
  }
  const automatic = setupIntent.automatic_payment_methods;
  if (automatic?.enabled && automatic.allow_redirects !== 'never' && !input.return_url) {
    throw invalidRequest(
      'A `return_url` must be specified because this Setup Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
    );
  }
}

/**
 * Saves the payment method for later: cards whose issuer asks for 3-D Secure on setup wait in
 * `requires_action`; declining cards fail with a 402 (kept for replay); others succeed, and are attached
 * to the intent's customer.
 */
export function confirmSetup(context: ApiContext, setupIntent: Stripe.SetupIntent, input: ConfirmParams): Stripe.SetupIntent {
  const reference = input.payment_method ?? (setupIntent.payment_method === null ? undefined : idOf(setupIntent.payment_method));
  if (!reference) throw new Error('checkConfirmable lets no confirmation through without a payment method');
  const paymentMethod = resolvePaymentMethod(context, reference, 'payment_method');
  const card = context.store.cardOfPaymentMethod.get(paymentMethod.id);
  if (!card) throw new Error(`payment method ${paymentMethod.id} has no test card`);
  const attempt: Stripe.SetupIntent = { ...setupIntent, payment_method: paymentMethod.id, next_action: null, last_setup_error: null };

  if (card.authentication !== 'never') {
    const waiting: Stripe.SetupIntent = { ...attempt, status: 'requires_action', next_action: threeDSecureAction(context.baseUrl, attempt, input.return_url) };
    context.store.setupIntents.replace(waiting);
    context.emit('setup_intent.requires_action', waiting);
    return waiting;
  }
  if (card.outcome.kind === 'declined' && !card.attachable) {
    const { code, declineCode, message } = card.outcome;
    const failed: Stripe.SetupIntent = {
      ...attempt,
      status: 'requires_payment_method',
      payment_method: null,
      last_setup_error: { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrlFor(code), payment_method: cloneObject(paymentMethod) },
    };
    context.store.setupIntents.replace(failed);
    context.emit('setup_intent.setup_failed', failed);
    throw new StripeApiError(402, { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrlFor(code), payment_method: cloneObject(paymentMethod), setup_intent: cloneObject(failed) }, true);
  }
  return succeedSetup(context, attempt, paymentMethod);
}

function succeedSetup(context: ApiContext, attempt: Stripe.SetupIntent, paymentMethod: Stripe.PaymentMethod): Stripe.SetupIntent {
  const customerId = attempt.customer === null ? null : idOf(attempt.customer);
  const customer = customerId ? context.store.customers.get(customerId) : undefined;
  if (customer) attachToCustomer(context, paymentMethod, customer);
  context.store.setUpPaymentMethods.add(paymentMethod.id);
  const succeeded: Stripe.SetupIntent = { ...attempt, status: 'succeeded', next_action: null, last_setup_error: null };
  context.store.setupIntents.replace(succeeded);
  context.emit('setup_intent.succeeded', succeeded);
  return succeeded;
}

/** The customer finished 3-D Secure for a setup: approved saves the card; failed is `setup_intent_authentication_failure`. */
export function completeSetupAuthentication(context: ApiContext, setupIntent: Stripe.SetupIntent, approve: boolean): Stripe.SetupIntent {
  const paymentMethodId = setupIntent.payment_method === null ? undefined : idOf(setupIntent.payment_method);
  const paymentMethod = paymentMethodId ? context.store.paymentMethods.get(paymentMethodId) : undefined;
  if (!paymentMethod) throw new Error(`setup intent ${setupIntent.id} waits for authentication without a payment method`);
  if (approve) return succeedSetup(context, setupIntent, paymentMethod);
  const failed: Stripe.SetupIntent = {
    ...setupIntent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_setup_error: {
      type: 'invalid_request_error',
      code: 'setup_intent_authentication_failure',
      message: 'The latest attempt to set up the payment method has failed because authentication failed.',
      doc_url: docUrlFor('setup_intent_authentication_failure'),
      payment_method: cloneObject(paymentMethod),
    },
  };
  context.store.setupIntents.replace(failed);
  context.emit('setup_intent.setup_failed', failed);
  return failed;
}

function setupUnexpectedState(message: string, setupIntent: Stripe.SetupIntent): StripeApiError {
  const error = invalidRequest(message, { code: 'setup_intent_unexpected_state' });
  error.body.doc_url = docUrlFor('setup_intent_unexpected_state');
  error.body.setup_intent = cloneObject(setupIntent);
  return error;
}
