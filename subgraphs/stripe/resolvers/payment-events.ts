import { requireAccess } from '../../../kit/access/access.ts';
import { eventSubscription, occurredAt } from '../../../kit/events/event-subscription.ts';
import type { StripeContext } from '../context.ts';
import { PAYMENTS_TOPIC } from '../events.ts';
import { ownsCustomer } from '../ownership.ts';
import { paymentEventVisibleTo } from '../payment-event-visibility.ts';
import type { PaymentEventResolvers, SubscriptionPaymentEventsArgs, SubscriptionResolvers } from '../__generated__/resolvers.ts';
import type { StripeResolverDeps } from './deps.ts';

/**
 * `paymentEvents`: payment events of one customer, the caller's own (an admin may watch any or all).
 * Each event's payment intent and customer are loaded afresh: the webhook evicted them before publishing.
 */
export function createPaymentEventResolvers({ streams }: Pick<StripeResolverDeps, 'streams'>) {
  const Subscription: SubscriptionResolvers<StripeContext> = {
    paymentEvents: eventSubscription(streams, ({ customerId, afterEventId }: Partial<SubscriptionPaymentEventsArgs>, context: StripeContext) => {
      requireAccess(context.caller, (p) => ownsCustomer(p, customerId));
      const caller = context.caller;
      return {
        topic: PAYMENTS_TOPIC,
        afterEventId,
        accept: (event) =>
          event.type.startsWith('payment.') &&
          (!customerId || event.keys['customerId'] === customerId) &&
          paymentEventVisibleTo(caller, event),
      };
    }),
  };
  const PaymentEvent: PaymentEventResolvers<StripeContext> = {
    occurredAt,
    paymentIntent: (event, _args, context) => {
      const id = event.keys['paymentIntentId'];
      return id ? context.loaders.paymentIntent.clear(id).load(id) : null;
    },
    customer: (event, _args, context) => {
      const id = event.keys['customerId'];
      return id ? context.loaders.customer.clear(id).load(id) : null;
    },
  };
  return { Subscription, PaymentEvent };
}
