import { adminOnly, authenticated, publicAccess, scope, scopeAndOwnership, type AccessRules } from '../../kit/access/access.ts';
import type { Principal } from '../../kit/access/principal.ts';

const isOwnCustomer = (principal: Principal, id: unknown) => principal.customerId !== undefined && id === principal.customerId;
const input = (args: Readonly<Record<string, unknown>>) => (args['input'] ?? {}) as Record<string, unknown>;

/**
 * Who may use the payments fields (README: Authorization). Checked at the gateway before anything is
 * called; where ownership depends on what Stripe returns (a payment intent by id), the subgraph checks
 * the fetched object too (ownership.ts).
 */
export const stripeAccess: AccessRules = {
  Query: {
    viewer: authenticated,
    customer: scopeAndOwnership('own-customer-id', 'payments:read', (p, args) => isOwnCustomer(p, args['id'])),
    customers: adminOnly,
    paymentIntent: scope('payments:read'),
    // The subgraph checks the fetched session is the caller's customer's.
    checkoutSession: scope('payments:read'),
    // The catalogue is what a shop shows to anyone.
    products: publicAccess,
  },
  Mutation: {
    createCustomer: adminOnly,
    updateCustomer: scopeAndOwnership('own-customer-id', 'payments:write', (p, args) => isOwnCustomer(p, args['id'])),
    createPaymentIntent: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
    confirmPaymentIntent: scope('payments:write'),
    cancelPaymentIntent: scope('payments:write'),
    // Refunds are the merchant's decision, not the paying customer's.
    refundPaymentIntent: adminOnly,
    createBillingSubscription: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
    cancelBillingSubscription: scope('payments:write'),
    // Capturing a held payment is the merchant's decision, as refunds are.
    capturePaymentIntent: adminOnly,
    attachPaymentMethod: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
    // The subgraph checks the payment method is attached to the caller's customer before detaching it.
    detachPaymentMethod: scope('payments:write'),
    setDefaultPaymentMethod: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
    createSetupIntent: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
    createCheckoutSession: scopeAndOwnership('own-customer-input', 'payments:write', (p, args) => isOwnCustomer(p, input(args)['customerId'])),
  },
  Subscription: {
    paymentEvents: scopeAndOwnership('own-customer-arg', 'payments:read', (p, args) => isOwnCustomer(p, args['customerId'])),
  },
  Viewer: { customer: scope('payments:read') },
  // A client secret lets its holder confirm the payment: a write. The subgraph also checks that the
  // intent is the caller's customer's on every read (cached or not), so it never reaches another caller.
  PaymentIntent: { clientSecret: scope('payments:write'), nextAction: scope('payments:write') },
  SetupIntent: { clientSecret: scope('payments:write'), nextAction: scope('payments:write') },
};
