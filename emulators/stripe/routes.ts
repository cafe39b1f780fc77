import type { ApiHandler } from './api-context.ts';
import { listCharges, retrieveCharge } from './resources/charges.ts';
import { listPrices, listProducts, retrievePrice, retrieveProduct } from './resources/catalog.ts';
import { createCustomer, deleteCustomer, listCustomers, retrieveCustomer, updateCustomer } from './resources/customers.ts';
import { listEvents, retrieveEvent } from './resources/events.ts';
import { listInvoices, retrieveInvoice } from './resources/invoices.ts';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
  retrievePaymentIntent,
  updatePaymentIntent,
} from './resources/payment-intents.ts';
import {
  attachPaymentMethod,
  createPaymentMethod,
  detachPaymentMethod,
  listCustomerPaymentMethods,
  listPaymentMethods,
  retrievePaymentMethod,
} from './resources/payment-methods.ts';
import { cancelSetupIntent, confirmSetupIntent, createSetupIntent, listSetupIntents, retrieveSetupIntent } from './resources/setup-intents.ts';
import { createCheckoutSession, expireCheckoutSession, listCheckoutSessions, retrieveCheckoutSession } from './resources/checkout-sessions.ts';
import { createRefund, listRefunds, retrieveRefund } from './resources/refunds.ts';
import {
  cancelSubscription,
  createSubscription,
  listSubscriptions,
  retrieveSubscription,
  updateSubscription,
} from './resources/subscriptions.ts';

/** Every endpoint served, keyed by operation name: the method and the path with `:id` for the object id. */
const ROUTES: Readonly<Record<string, ApiHandler>> = {
  'GET /v1/customers': listCustomers,
  'POST /v1/customers': createCustomer,
  'GET /v1/customers/:id': retrieveCustomer,
  'POST /v1/customers/:id': updateCustomer,
  'DELETE /v1/customers/:id': deleteCustomer,
  'GET /v1/customers/:id/payment_methods': listCustomerPaymentMethods,

  'GET /v1/payment_intents': listPaymentIntents,
  'POST /v1/payment_intents': createPaymentIntent,
  'GET /v1/payment_intents/:id': retrievePaymentIntent,
  'POST /v1/payment_intents/:id': updatePaymentIntent,
  'POST /v1/payment_intents/:id/confirm': confirmPaymentIntent,
  'POST /v1/payment_intents/:id/cancel': cancelPaymentIntent,
  'POST /v1/payment_intents/:id/capture': capturePaymentIntent,

  'GET /v1/payment_methods': listPaymentMethods,
  'POST /v1/payment_methods': createPaymentMethod,
  'GET /v1/payment_methods/:id': retrievePaymentMethod,
  'POST /v1/payment_methods/:id/attach': attachPaymentMethod,
  'POST /v1/payment_methods/:id/detach': detachPaymentMethod,

  'GET /v1/setup_intents': listSetupIntents,
  'POST /v1/setup_intents': createSetupIntent,
  'GET /v1/setup_intents/:id': retrieveSetupIntent,
  'POST /v1/setup_intents/:id/confirm': confirmSetupIntent,
  'POST /v1/setup_intents/:id/cancel': cancelSetupIntent,

  'GET /v1/checkout/sessions': listCheckoutSessions,
  'POST /v1/checkout/sessions': createCheckoutSession,
  'GET /v1/checkout/sessions/:id': retrieveCheckoutSession,
  'POST /v1/checkout/sessions/:id/expire': expireCheckoutSession,

  'GET /v1/charges': listCharges,
  'GET /v1/charges/:id': retrieveCharge,

  'GET /v1/refunds': listRefunds,
  'POST /v1/refunds': createRefund,
  'GET /v1/refunds/:id': retrieveRefund,

  'GET /v1/products': listProducts,
  'GET /v1/products/:id': retrieveProduct,
  'GET /v1/prices': listPrices,
  'GET /v1/prices/:id': retrievePrice,

  'GET /v1/subscriptions': listSubscriptions,
  'POST /v1/subscriptions': createSubscription,
  'GET /v1/subscriptions/:id': retrieveSubscription,
  'POST /v1/subscriptions/:id': updateSubscription,
  'DELETE /v1/subscriptions/:id': cancelSubscription,

  'GET /v1/invoices': listInvoices,
  'GET /v1/invoices/:id': retrieveInvoice,

  'GET /v1/events': listEvents,
  'GET /v1/events/:id': retrieveEvent,
};

const NAMESPACES: readonly string[] = ['checkout'];

export interface RouteMatch {
  /** E.g. `GET /v1/customers/:id`; unknown paths get a name too, with id-like segments as `:id`. */
  operation: string;
  handler?: ApiHandler;
  /** The decoded `:id` segment, or '' for routes without one. */
  id: string;
}

/**
 * Names a request's operation and finds its handler. The third segment of `/v1/<resource>/<id>/<action>`
 * is the object id; a path whose resource has no such route keeps id-looking segments out of the name,
 * so counts do not fragment by object.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/').filter((segment) => segment !== '');
  // Product namespaces (`/v1/checkout/sessions`) name their resource in two segments.
  const namespaced = NAMESPACES.includes(segments[1] ?? '') && segments[2] !== undefined;
  const [version, resource, id, ...rest] = namespaced ? [segments[0], `${segments[1]}/${segments[2]}`, ...segments.slice(3)] : segments;
  if (version === 'v1' && resource !== undefined) {
    const collection = `${method} /v1/${resource}`;
    if (id === undefined && ROUTES[collection]) return { operation: collection, handler: ROUTES[collection], id: '' };
    if (id !== undefined) {
      const member = `${method} /v1/${resource}/:id${rest.map((part) => `/${part}`).join('')}`;
      if (ROUTES[member]) return { operation: member, handler: ROUTES[member], id: decodeSegment(id) };
    }
  }
  const normalised = segments.map((segment, index) => (index >= 2 && looksLikeId(segment) ? ':id' : segment));
  return { operation: `${method} /${normalised.join('/')}`, id: '' };
}

/** `cus_Qm3vT8rLx2NcAe`, `pi_3…_secret_…`: a prefix, an underscore and a mix of letters and digits. */
function looksLikeId(segment: string): boolean {
  return /^[a-z]+_[A-Za-z0-9_]+$/.test(segment) && /\d/.test(segment);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
