import type Stripe from 'stripe';
import { callerId } from '../../../kit/access/principal.ts';
import type { StripeContext } from '../context.ts';
import { createCustomer, updateCustomer } from '../customers.ts';
import { stripeCall } from '../errors.ts';
import { idOf } from '../evictions.ts';
import { providerIdempotencyKey } from '../idempotency.ts';
import { cancelPaymentIntent, confirmPaymentIntent, createPaymentIntent, createRefund } from '../payment-intents.ts';
import { cancelSubscription, createSubscription } from '../subscriptions.ts';
import type { MutationResolvers } from '../__generated__/resolvers.ts';
import { requireAccess, requireAdmin } from '../../../kit/access/access.ts';
import { ownsCustomer, visibleOwned } from '../ownership.ts';
import type { StripeResolverDeps } from './deps.ts';
import { createPaymentFlowResolvers } from './payment-flows.ts';
import { metadataParam } from './shared.ts';

/**
 * Writes, each checking ownership itself as well (the gateway's rules run first; these hold even for a
 * caller that reaches the subgraph another way). Every one that moves money sends Stripe an idempotency key derived from the client's, so a
 * client retrying after a timeout gets the first result; each evicts what it changed.
 */
export function createMutationResolvers({ stripe, cache, evictions }: StripeResolverDeps): MutationResolvers<StripeContext> {
  const paymentFlows = createPaymentFlowResolvers({ stripe, evictions }).Mutation;
  const keyFor = (context: StripeContext, operation: string, clientKey: string) =>
    providerIdempotencyKey({ clientKey, operation, callerId: callerId(context.caller) });

  return {
    ...paymentFlows,
    async createCustomer(_root, { input }, context) {
      requireAdmin(context.caller);
      const idempotencyKey = input.idempotencyKey ? keyFor(context, 'customers.create', input.idempotencyKey) : undefined;
      const params: Stripe.CustomerCreateParams = {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.email != null ? { email: input.email } : {}),
        ...(input.phone != null ? { phone: input.phone } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.metadata ? { metadata: metadataParam(input.metadata) } : {}),
      };
      const customer = await stripeCall(context.logger, () => createCustomer(stripe, params, idempotencyKey));
      await evictions.customer(customer.id);
      return customer;
    },
    async updateCustomer(_root, { id, input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, id));
      const params: Stripe.CustomerUpdateParams = {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.email != null ? { email: input.email } : {}),
        ...(input.phone != null ? { phone: input.phone } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.metadata ? { metadata: metadataParam(input.metadata) } : {}),
      };
      const customer = await stripeCall(context.logger, () => updateCustomer(stripe, id, params));
      await evictions.customer(id);
      await cache.set({ kind: 'customer', id }, customer);
      return customer;
    },
    async createPaymentIntent(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      const idempotencyKey = keyFor(context, 'payment_intents.create', input.idempotencyKey);
      const intent = await stripeCall(context.logger, () =>
        createPaymentIntent(
          stripe,
          {
            customer: input.customerId,
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            ...(input.description != null ? { description: input.description } : {}),
            ...(input.metadata ? { metadata: metadataParam(input.metadata) } : {}),
            // Card details are collected by Stripe.js in the client; this gateway never sees them.
            automatic_payment_methods: { enabled: true, allow_redirects: input.allowRedirects ? 'always' : 'never' },
            ...(input.captureMethod === 'MANUAL' ? { capture_method: 'manual' as const } : {}),
          },
          idempotencyKey,
        ),
      );
      await evictions.paymentIntent(intent.id, idOf(intent.customer));
      return { paymentIntent: intent, clientSecret: intent.client_secret ?? '' };
    },
    async confirmPaymentIntent(_root, { input }, context) {
      visibleOwned(context.caller, await context.loaders.paymentIntent.load(input.id), 'Payment intent');
      const idempotencyKey = keyFor(context, `payment_intents.confirm:${input.id}`, input.idempotencyKey);
      try {
        const intent = await stripeCall(context.logger, () =>
          confirmPaymentIntent(stripe, input.id, { payment_method: input.paymentMethod, ...(input.returnUrl ? { return_url: input.returnUrl } : {}) }, idempotencyKey),
        );
        await evictions.paymentIntent(intent.id, idOf(intent.customer));
        return intent;
      } catch (error) {
        // A declined card changed the intent too (status, last_payment_error).
        await evictions.paymentIntent(input.id, null);
        throw error;
      }
    },
    async cancelPaymentIntent(_root, { input }, context) {
      visibleOwned(context.caller, await context.loaders.paymentIntent.load(input.id), 'Payment intent');
      const idempotencyKey = keyFor(context, `payment_intents.cancel:${input.id}`, input.idempotencyKey);
      const reason = input.reason?.toLowerCase() as Stripe.PaymentIntentCancelParams.CancellationReason | undefined;
      const intent = await stripeCall(context.logger, () => cancelPaymentIntent(stripe, input.id, reason, idempotencyKey));
      await evictions.paymentIntent(intent.id, idOf(intent.customer));
      return intent;
    },
    async refundPaymentIntent(_root, { input }, context) {
      requireAdmin(context.caller);
      const idempotencyKey = keyFor(context, `refunds.create:${input.paymentIntentId}`, input.idempotencyKey);
      const refund = await stripeCall(context.logger, () =>
        createRefund(
          stripe,
          {
            payment_intent: input.paymentIntentId,
            ...(input.amount != null ? { amount: input.amount } : {}),
            ...(input.reason ? { reason: input.reason.toLowerCase() as Stripe.RefundCreateParams.Reason } : {}),
          },
          idempotencyKey,
        ),
      );
      const intent = await context.loaders.paymentIntent.load(input.paymentIntentId).catch(() => null);
      await evictions.paymentIntent(input.paymentIntentId, intent ? idOf(intent.customer) : null);
      return refund;
    },
    async createBillingSubscription(_root, { input }, context) {
      requireAccess(context.caller, (p) => ownsCustomer(p, input.customerId));
      const idempotencyKey = keyFor(context, 'subscriptions.create', input.idempotencyKey);
      const subscription = await stripeCall(context.logger, () =>
        createSubscription(
          stripe,
          {
            customer: input.customerId,
            items: [{ price: input.priceId, quantity: input.quantity ?? 1 }],
            ...(input.metadata ? { metadata: metadataParam(input.metadata) } : {}),
            ...(input.paymentBehavior ? { payment_behavior: input.paymentBehavior.toLowerCase() as Stripe.SubscriptionCreateParams.PaymentBehavior } : {}),
          },
          idempotencyKey,
        ),
      );
      await evictions.subscription(subscription.id, idOf(subscription.customer));
      return subscription;
    },
    async cancelBillingSubscription(_root, { input }, context) {
      visibleOwned(context.caller, await context.loaders.subscription.load(input.id), 'Subscription');
      const idempotencyKey = keyFor(context, `subscriptions.cancel:${input.id}`, input.idempotencyKey);
      const subscription = await stripeCall(context.logger, () => cancelSubscription(stripe, input.id, idempotencyKey));
      await evictions.subscription(subscription.id, idOf(subscription.customer));
      return subscription;
    },
  };
}
