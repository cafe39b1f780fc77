import Stripe from 'stripe';
import { ok, type ApiContext, type ApiHandler } from '../api-context.ts';
import { expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { expandField, field, pageFields, parseParams } from '../params.ts';
import { resourceMissing } from '../stripe-error.ts';

/** Products and prices: seeded, read-only through the API. */

export interface NewProduct {
  id: string;
  created: number;
  name: string;
  description: string | null;
  active: boolean;
  defaultPrice: string | null;
  metadata: Record<string, string>;
}

export function newProduct(fields: NewProduct): Stripe.Product {
  return {
    id: fields.id,
    object: 'product',
    active: fields.active,
    created: fields.created,
    default_price: fields.defaultPrice,
    description: fields.description,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: fields.metadata,
    name: fields.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: fields.created,
    url: null,
  };
}

export interface NewPrice {
  id: string;
  created: number;
  product: string;
  active: boolean;
  currency: string;
  unitAmount: number;
  nickname: string | null;
  lookupKey: string | null;
  recurring: { interval: 'month' | 'year'; intervalCount: number } | null;
}

export function newPrice(fields: NewPrice): Stripe.Price {
  return {
    id: fields.id,
    object: 'price',
    active: fields.active,
    billing_scheme: 'per_unit',
    created: fields.created,
    currency: fields.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: fields.lookupKey,
    metadata: {},
    nickname: fields.nickname,
    product: fields.product,
    recurring: fields.recurring
      ? {
          interval: fields.recurring.interval,
          interval_count: fields.recurring.intervalCount,
          meter: null,
          trial_period_days: null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: fields.recurring ? 'recurring' : 'one_time',
    unit_amount: fields.unitAmount,
    // The SDK turns the wire's decimal string into a Decimal; the instance serialises back to that string.
    unit_amount_decimal: Stripe.Decimal.from(String(fields.unitAmount)),
  };
}

export function requirePrice(context: ApiContext, id: string, param?: string): Stripe.Price {
  const price = context.store.prices.get(id);
  if (!price) throw resourceMissing('price', id, param);
  return price;
}

export const retrieveProduct: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const product = context.store.products.get(id);
  if (!product) throw resourceMissing('product', id);
  return ok(expandObject(product, expand, context.store));
};

/** All products by default (the catalogue includes archived ones unless `active` says otherwise). */
export const listProducts: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, active: field.boolean, ids: field.list(field.string) }, params);
  return listResult(
    context,
    '/v1/products',
    context.store.products.ordered(),
    (product) => (input.active === undefined || product.active === input.active) && (input.ids === undefined || input.ids.includes(product.id)),
    input,
    'product',
  );
};

export const retrievePrice: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  return ok(expandObject(requirePrice(context, id), expand, context.store));
};

/** Active prices by default: Stripe lists inactive ones only when asked with `active=false`. */
export const listPrices: ApiHandler = ({ params }, context) => {
  const input = parseParams(
    {
      ...pageFields,
      active: field.boolean,
      product: field.string,
      type: field.enum('one_time', 'recurring'),
      currency: field.string,
      lookup_keys: field.list(field.string),
    },
    params,
  );
  const active = input.active ?? true;
  return listResult(
    context,
    '/v1/prices',
    context.store.prices.ordered(),
    (price) =>
      price.active === active &&
      (input.product === undefined || price.product === input.product) &&
      (input.type === undefined || price.type === input.type) &&
      (input.currency === undefined || price.currency === input.currency.toLowerCase()) &&
      (input.lookup_keys === undefined || (price.lookup_key !== null && input.lookup_keys.includes(price.lookup_key))),
    input,
    'price',
  );
};
