import type Stripe from 'stripe';
import type { ApiContext } from '../api-context.ts';
import { subscriptionOf } from './invoices.ts';

/** The default InvoicePayment Stripe creates when it finalizes an invoice charged through a PaymentIntent. */
export function newInvoicePayment(fields: { id: string; invoice: Stripe.Invoice; paymentIntentId: string; created: number }): Stripe.InvoicePayment {
  return {
    id: fields.id,
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: fields.invoice.amount_due,
    created: fields.created,
    currency: fields.invoice.currency,
    invoice: fields.invoice.id ?? '',
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: fields.paymentIntentId },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
}

/**
 * A PaymentIntent that pays an invoice succeeded: the invoice is paid, and a subscription waiting for
 * its first payment (`incomplete`) becomes `active`.
 */
export function settleInvoiceOf(context: ApiContext, paymentIntent: Stripe.PaymentIntent): void {
  const invoice = context.store.invoiceOfPaymentIntent(paymentIntent.id);
  if (!invoice?.id || invoice.status !== 'open') return;
  const now = context.now();
  const paid: Stripe.Invoice = {
    ...invoice,
    status: 'paid',
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    attempted: true,
    attempt_count: invoice.attempt_count + 1,
    status_transitions: { ...invoice.status_transitions, paid_at: now },
    webhooks_delivered_at: invoice.webhooks_delivered_at ?? now,
  };
  context.store.invoices.replace(paid);
  const payment = context.store.invoicePayments.get(invoice.id);
  if (payment) context.store.invoicePayments.set(invoice.id, { ...payment, status: 'paid', amount_paid: invoice.amount_due, status_transitions: { ...payment.status_transitions, paid_at: now } });
  context.emit('invoice.paid', paid);
  context.emit('invoice.payment_succeeded', paid);

  const subscriptionId = subscriptionOf(paid);
  const subscription = subscriptionId ? context.store.subscriptions.get(subscriptionId) : undefined;
  if (subscription && (subscription.status === 'incomplete' || subscription.status === 'past_due')) {
    const active: Stripe.Subscription = { ...subscription, status: 'active' };
    context.store.subscriptions.replace(active);
    context.emit('customer.subscription.updated', active, { status: subscription.status });
  }
}
