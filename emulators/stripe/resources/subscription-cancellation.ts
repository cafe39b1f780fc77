import type Stripe from 'stripe';

/** A subscription canceled at `at` (seconds), at the customer's request. */
export function canceledSubscription(
  subscription: Stripe.Subscription,
  at: number,
  details: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null } = {},
): Stripe.Subscription {
  return {
    ...subscription,
    status: 'canceled',
    canceled_at: at,
    ended_at: at,
    cancel_at: null,
    cancel_at_period_end: false,
    cancellation_details: {
      comment: details.comment ?? subscription.cancellation_details?.comment ?? null,
      feedback: details.feedback ?? subscription.cancellation_details?.feedback ?? null,
      feedback_option: null,
      reason: 'cancellation_requested',
    },
  };
}
