import type { StripeContext } from '../context.ts';
import { idOf } from '../evictions.ts';
import type { PaymentIntentConnectionResolvers, PaymentIntentResolvers, PaymentIntentStatus, RefundResolvers } from '../__generated__/resolvers.ts';
import { idConnection } from '../../../kit/paging.ts';
import { visibleOwned } from '../ownership.ts';
import { nextActionOf } from './payment-flows.ts';
import { fromUnix, metadataEntries, money } from './shared.ts';

export function createPaymentResolvers() {
  const PaymentIntent: PaymentIntentResolvers<StripeContext> = {
    __resolveReference: async (reference, context) =>
      visibleOwned(context.caller, await context.loaders.paymentIntent.load((reference as { id: string }).id), 'Payment intent'),
    amount: (intent) => money(intent.amount, intent.currency),
    amountReceived: (intent) => money(intent.amount_received, intent.currency),
    status: (intent) => intent.status.toUpperCase() as PaymentIntentStatus,
    created: (intent) => fromUnix(intent.created)!,
    canceledAt: (intent) => fromUnix(intent.canceled_at),
    cancellationReason: (intent) => intent.cancellation_reason ?? null,
    lastPaymentError: (intent) =>
      intent.last_payment_error
        ? { code: intent.last_payment_error.code ?? null, declineCode: intent.last_payment_error.decline_code ?? null, message: intent.last_payment_error.message ?? null }
        : null,
    amountCapturable: (intent) => money(intent.amount_capturable, intent.currency),
    captureMethod: (intent) => (intent.capture_method === 'manual' ? 'MANUAL' : 'AUTOMATIC'),
    // Re-checked on the object itself, cached or not: the entry is shared, the secret is the owner's only.
    clientSecret: (intent, _args, context) => visibleOwned(context.caller, intent, 'Payment intent').client_secret ?? null,
    nextAction: (intent, _args, context) => nextActionOf(visibleOwned(context.caller, intent, 'Payment intent').next_action),
    customer: (intent, _args, context) => {
      const id = idOf(intent.customer);
      return id ? context.loaders.customer.load(id) : null;
    },
    refunds: (intent, _args, context) => context.loaders.refunds.load(intent.id),
    metadata: (intent) => metadataEntries(intent.metadata),
  };

  const PaymentIntentConnection: PaymentIntentConnectionResolvers<StripeContext> = {
    edges: (page) => idConnection(page).edges,
    nodes: (page) => page.data,
    pageInfo: (page) => idConnection(page).pageInfo,
  };

  const Refund: RefundResolvers<StripeContext> = {
    amount: (refund) => money(refund.amount, refund.currency),
    status: (refund) => refund.status ?? 'pending',
    reason: (refund) => refund.reason ?? null,
    created: (refund) => fromUnix(refund.created)!,
  };

  return { PaymentIntent, PaymentIntentConnection, Refund };
}
