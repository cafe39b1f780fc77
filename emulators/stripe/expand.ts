import { cloneObject, isPlainObject } from './clone.ts';
import type { Store } from './store.ts';
import { invalidRequest } from './stripe-error.ts';

/** Expandable references, by field name (the names are unambiguous across the resources served). */
const RESOLVERS: Readonly<Record<string, (store: Store, id: string) => object | undefined>> = {
  customer: (store, id) => store.customerOrStub(id),
  payment_intent: (store, id) => store.paymentIntents.get(id),
  setup_intent: (store, id) => store.setupIntents.get(id),
  latest_charge: (store, id) => store.charges.get(id),
  charge: (store, id) => store.charges.get(id),
  payment_method: (store, id) => store.paymentMethods.get(id),
  default_payment_method: (store, id) => store.paymentMethods.get(id),
  product: (store, id) => store.products.get(id),
  price: (store, id) => store.prices.get(id),
  default_price: (store, id) => store.prices.get(id),
  latest_invoice: (store, id) => store.invoices.get(id),
  invoice: (store, id) => store.invoices.get(id),
  subscription: (store, id) => store.subscriptions.get(id),
};

/**
 * Fields Stripe leaves out of an object unless asked for with `expand[]` ("includable"), by object type:
 * an invoice's `confirmation_secret` (the client secret of the PaymentIntent that pays it) and `payments`.
 */
const INCLUDABLE: Readonly<Record<string, Readonly<Record<string, (store: Store, object: Record<string, unknown>) => unknown>>>> = {
  invoice: {
    confirmation_secret: (store, invoice) => {
      const payment = store.invoicePayments.get(String(invoice['id']));
      const paymentIntentId = payment?.payment.payment_intent;
      const paymentIntent = typeof paymentIntentId === 'string' ? store.paymentIntents.get(paymentIntentId) : undefined;
      return paymentIntent?.client_secret ? { client_secret: paymentIntent.client_secret, type: 'payment_intent' } : null;
    },
    payments: (store, invoice) => {
      const payment = store.invoicePayments.get(String(invoice['id']));
      return { object: 'list', data: payment ? [cloneObject(payment)] : [], has_more: false, url: `/v1/invoice_payments?invoice=${String(invoice['id'])}` };
    },
  },
};

const MAX_DEPTH = 4;

/**
 * A copy of `object` with the `expand[]` paths replaced by the objects they reference
 * (`customer`, `latest_charge.customer`, `items.data.price.product`). Paths into a list go through
 * its `data`. Anything else is refused the way Stripe refuses it.
 */
export function expandObject<T extends object>(object: T, paths: readonly string[] | undefined, store: Store): T {
  const copy = cloneObject(object);
  for (const path of paths ?? []) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, { param: 'expand' });
    }
    expandInto(copy as Record<string, unknown>, segments, path, store); // the copy is a JSON-like record
  }
  return copy;
}

/** `data.customer` on a list expands `customer` on every item; other paths are not allowed on lists. */
export function itemPaths(paths: readonly string[] | undefined): string[] {
  return (paths ?? []).map((path) => {
    if (!path.startsWith('data.')) throw notExpandable(path);
    return path.slice('data.'.length);
  });
}

function expandInto(target: Record<string, unknown>, segments: readonly string[], path: string, store: Store): void {
  const [name = '', ...rest] = segments;
  let value = target[name];
  const include = INCLUDABLE[String(target['object'])]?.[name];
  if (value === undefined && include) {
    value = include(store, target);
    target[name] = value;
    if (rest.length === 0) return;
  }
  if (value === undefined) throw notExpandable(path);
  if (typeof value === 'string') {
    const resolve = RESOLVERS[name];
    if (!resolve) throw notExpandable(path);
    const resolved = resolve(store, value);
    if (resolved === undefined) return; // a dangling reference stays an id
    value = cloneObject(resolved);
    target[name] = value;
  } else if (value === null) {
    return;
  } else if (!(name in RESOLVERS) && !include && (rest.length === 0 || !isPlainObject(value))) {
    throw notExpandable(path);
  }
  if (rest.length === 0 || !isPlainObject(value)) return;

  if (value['object'] === 'list' && Array.isArray(value['data'])) {
    if (rest[0] !== 'data') throw notExpandable(path);
    for (const item of value['data']) {
      if (isPlainObject(item)) expandInto(item, rest.slice(1), path, store);
    }
    return;
  }
  expandInto(value, rest, path, store);
}

function notExpandable(path: string): ReturnType<typeof invalidRequest> {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}

/**
 * Refuses bad `expand[]` paths before a write changes anything, as Stripe does: checked against the
 * object about to be stored (same shape as the one answered).
 */
export function checkExpandable(object: object, paths: readonly string[] | undefined, store: Store): void {
  if (paths !== undefined && paths.length > 0) expandObject(object, paths, store);
}
