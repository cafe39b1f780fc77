import type Stripe from 'stripe';
import type { PageModel } from './models.ts';

/** A Stripe list envelope as a page model; `after` says whether it was asked for with a cursor. */
export function toPage<T>(list: Stripe.ApiList<T>, after: string | null | undefined): PageModel<T> {
  return { data: list.data, hasMore: list.has_more, hasPrevious: Boolean(after) };
}

/** Stripe's paging parameters for a Relay `first`/`after` pair (ids are Stripe's own cursors). */
export function pageParams(first: number, after: string | null | undefined): { limit: number; starting_after?: string } {
  return after ? { limit: first, starting_after: after } : { limit: first };
}
