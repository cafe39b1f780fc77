import type Stripe from 'stripe';
import { forbidden, requireAccess, requireAdmin } from '../../../kit/access/access.ts';
import { callerId, isAdmin } from '../../../kit/access/principal.ts';
import { ErrorCode, gatewayError } from '../../../kit/errors.ts';
import type { StripeContext } from '../context.ts';
import { stripeCall } from '../errors.ts';
import { idOf } from '../evictions.ts';
import { providerIdempotencyKey } from '../idempotency.ts';
import type { CheckoutSessionModel, PaymentMethodModel, SetupIntentModel } from '../models.ts';
import { ownsCustomer, visibleOwned } from '../ownership.ts';
import { capturePaymentIntent } from '../payment-intents.ts';
import {
  attachPaymentMethod,
  createCheckoutSession,
  createSetupIntent,
  detachPaymentMethod,
  retrievePaymentMethod,
  setDefaultPaymentMethod,
} from '../payment-methods.ts';
import type {
  ResolversTypes,
  CheckoutSessionMode,
  CheckoutSessionStatus,
  MutationResolvers,
  NextAction,
  PaymentError,
  PaymentMethod,
  QueryResolvers,
  SetupIntent,
  SetupIntentStatus,
} from '../__generated__/resolvers.ts';
import type { StripeResolverDeps } from './deps.ts';
import { fromUnix, money } from './shared.ts';

/**
 * Saved cards, SetupIntents, Checkout Sessions and manual capture. These types have no model mapping:
 * each is turned into its GraphQL shape here, after the caller's ownership has been checked.
 */

export function nextActionOf(action: Stripe.PaymentIntent.NextAction | Stripe.SetupIntent.NextAction | null | undefined): NextAction | null {
  if (!action) return null;
  return { type: action.type, redirectUrl: action.type === 'redirect_to_url' ? (action.redirect_to_url?.url ?? null) : null };
}

function errorOf(error: Stripe.PaymentIntent.LastPaymentError | Stripe.SetupIntent.LastSetupError | null | undefined): PaymentError | null {
  return error ? { code: error.code ?? null, declineCode: error.decline_code ?? null, message: error.message ?? null } : null;
}

export function toPaymentMethod(method: PaymentMethodModel, defaultId: string | null): PaymentMethod {
  const card = method.card;
  return {
    id: method.id,
    type: method.type,
    card: card ? { brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year, funding: card.funding ?? null, country: card.country ?? null } : null,
    isDefault: method.id === defaultId,
    created: fromUnix(method.created)!,
  };
}

function toSetupIntent(intent: SetupIntentModel): SetupIntent {
  return {
    id: intent.id,
    status: intent.status.toUpperCase() as SetupIntentStatus,
    clientSecret: intent.client_secret,
    nextAction: nextActionOf(intent.next_action),
    paymentMethodId: idOf(intent.payment_method),
    lastSetupError: errorOf(intent.last_setup_error),
    created: fromUnix(intent.created)!,
  };
}

function toCheckoutSession(session: CheckoutSessionModel): ResolversTypes['CheckoutSession'] {
  return {
    id: session.id,
    url: session.url,
    status: (session.status ?? 'open').toUpperCase() as CheckoutSessionStatus,
    mode: session.mode.toUpperCase() as CheckoutSessionMode,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total === null ? null : money(session.amount_total, session.currency ?? 'usd'),
    expiresAt: fromUnix(session.expires_at)!,
  };
}

const notYours = () => gatewayError(ErrorCode.BAD_USER_INPUT, 'Not one of this customer’s payment methods', { argument: 'paymentMethodId', provider: 'stripe' });

export function createPaymentFlowResolvers({ stripe, evictions }: Pick<StripeResolverDeps, 'stripe' | 'evictions'>) {
  const keyFor = (context: StripeContext, operation: string, clientKey: string) =>
    providerIdempotencyKey({ clientKey, operation, callerId: callerId(context.caller) });

  const Query: Pick<QueryResolvers<StripeContext>, 'checkoutSession'> = {
    checkoutSession: async (_root, { id }, context) => toCheckoutSession(visibleOwned(context.caller, await context.loaders.checkoutSession.load(id), 'Checkout session')),
  };

  const Mutation: Pick<
    MutationResolvers<StripeContext>,
    'capturePaymentIntent' | 'attachPaymentMethod' | 'detachPaymentMethod' | 'setDefaultPaymentMethod' | 'createSetupIntent' | 'createCheckoutSession'
  > = {
    async capturePaymentIntent(_root, { input }, context) {
      requireAdmin(context.caller);
      const idempotencyKey = keyFor(context, `payment_intents.capture:${input.id}`, input.idempotencyKey);
      const intent = await stripeCall(context.logger, () => capturePaymentIntent(stripe, input.id, input.amountToCapture ?? undefined, idempotencyKey));
      await evictions.paymentIntent(intent.id, idOf(intent.customer));
      return intent;
    },

    async attachPaymentMethod(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      // A method already saved to another customer is theirs: refused here rather than by Stripe's error,
      // which would say whether it exists. Test tokens (pm_card_visa) are not retrievable and pass on.
      const existing = await stripeCall(context.logger, () => retrievePaymentMethod(stripe, input.paymentMethodId));
      const owner = idOf(existing?.customer);
      if (owner !== null && owner !== input.customerId) throw isAdmin(context.caller) ? notYours() : forbidden();
      const idempotencyKey = keyFor(context, `payment_methods.attach:${input.customerId}:${input.paymentMethodId}`, input.idempotencyKey);
      const attached = await stripeCall(context.logger, () => attachPaymentMethod(stripe, input.paymentMethodId, input.customerId, idempotencyKey));
      let defaultId = idOf((await context.loaders.customer.clear(input.customerId).load(input.customerId))?.invoice_settings.default_payment_method);
      if (input.setAsDefault) {
        await stripeCall(context.logger, () => setDefaultPaymentMethod(stripe, input.customerId, attached.id));
        defaultId = attached.id;
      }
      await evictions.paymentMethods(input.customerId);
      return toPaymentMethod(attached, defaultId);
    },

    async detachPaymentMethod(_root, { id }, context) {
      const method = visibleOwned(context.caller, await stripeCall(context.logger, () => retrievePaymentMethod(stripe, id)), 'Payment method');
      const customerId = idOf(method.customer);
      const detached = await stripeCall(context.logger, () => detachPaymentMethod(stripe, id));
      if (customerId) await evictions.paymentMethods(customerId);
      return toPaymentMethod(detached, null);
    },

    async setDefaultPaymentMethod(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      const method = await stripeCall(context.logger, () => retrievePaymentMethod(stripe, input.paymentMethodId));
      // Unknown, unattached or someone else's: the same answer, so it says nothing about other customers.
      if (idOf(method?.customer) !== input.customerId) throw notYours();
      const customer = await stripeCall(context.logger, () => setDefaultPaymentMethod(stripe, input.customerId, input.paymentMethodId));
      await evictions.paymentMethods(input.customerId);
      return customer;
    },

    async createSetupIntent(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      const idempotencyKey = keyFor(context, 'setup_intents.create', input.idempotencyKey);
      const confirm = Boolean(input.paymentMethodId);
      try {
        const intent = await stripeCall(context.logger, () =>
          createSetupIntent(
            stripe,
            {
              customer: input.customerId,
              usage: input.usage === 'ON_SESSION' ? 'on_session' : 'off_session',
              // Cards only, as createPaymentIntent: no redirect-based methods unless a return URL is given.
              automatic_payment_methods: { enabled: true, allow_redirects: input.returnUrl ? 'always' : 'never' },
              ...(input.paymentMethodId ? { payment_method: input.paymentMethodId, confirm } : {}),
              ...(confirm && input.returnUrl ? { return_url: input.returnUrl } : {}),
            },
            idempotencyKey,
          ),
        );
        return toSetupIntent(intent);
      } finally {
        // A confirmed setup may have saved a card, even when it then failed.
        if (confirm) await evictions.paymentMethods(input.customerId);
      }
    },

    async createCheckoutSession(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      if (input.mode !== 'SETUP' && !input.priceId) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'priceId is required for PAYMENT and SUBSCRIPTION sessions', { argument: 'priceId' });
      if (input.mode === 'SETUP' && input.priceId) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'A SETUP session takes no priceId', { argument: 'priceId' });
      const idempotencyKey = keyFor(context, 'checkout.sessions.create', input.idempotencyKey);
      const session = await stripeCall(context.logger, () =>
        createCheckoutSession(
          stripe,
          {
            mode: input.mode.toLowerCase() as Stripe.Checkout.SessionCreateParams.Mode,
            customer: input.customerId,
            ...(input.priceId ? { line_items: [{ price: input.priceId, quantity: input.quantity ?? 1 }] } : {}),
            success_url: input.successUrl,
            ...(input.cancelUrl ? { cancel_url: input.cancelUrl } : {}),
            ...(input.currency ? { currency: input.currency.toLowerCase() } : {}),
          },
          idempotencyKey,
        ),
      );
      return toCheckoutSession(session);
    },
  };

  return { Query, Mutation };
}
