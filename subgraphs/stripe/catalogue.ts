import type Stripe from 'stripe';
import { isResourceMissing } from './errors.ts';
import type { PriceModel, ProductModel, ProductPageModel } from './models.ts';
import { pageParams, toPage } from './pages.ts';

/** Products and prices: read-only here, managed in Stripe's dashboard. */

export async function listProducts(stripe: Stripe, { first, after, active }: { first: number; after?: string | null; active?: boolean | null }): Promise<ProductPageModel> {
  return toPage(await stripe.products.list({ ...pageParams(first, after), ...(typeof active === 'boolean' ? { active } : {}) }), after);
}

/** Many products in one call: Stripe's list takes `ids` (up to 100). Missing ids are simply absent. */
export async function retrieveProducts(stripe: Stripe, ids: readonly string[]): Promise<Map<string, ProductModel>> {
  const list = await stripe.products.list({ ids: [...ids], limit: 100 });
  return new Map(list.data.map((product) => [product.id, product]));
}

export async function retrievePrice(stripe: Stripe, id: string): Promise<PriceModel | null> {
  try {
    return await stripe.prices.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}

/** The active prices of one product (a product has a few: one page of 100). */
export async function listActivePrices(stripe: Stripe, product: string): Promise<PriceModel[]> {
  return (await stripe.prices.list({ product, active: true, limit: 100 })).data;
}
