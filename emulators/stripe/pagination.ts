import type { Params } from './params.ts';
import { pageFields } from './params.ts';
import { invalidRequest, StripeApiError } from './stripe-error.ts';

export type PageParams = Params<typeof pageFields>;

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * One page of a newest-first listing, the way Stripe cuts it: `starting_after` pages towards older
 * objects, `ending_before` towards newer ones (still answered newest first, ending next to the cursor).
 * The cursor is located in the unfiltered order, so an object the filter excludes still works as one.
 */
export function paginate<T extends { id: string }>(
  ordered: readonly T[],
  matches: (item: T) => boolean,
  params: PageParams,
  missingCursor: (id: string, param: string) => StripeApiError,
): Page<T> {
  const limit = params.limit ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`Invalid limit: must be between 1 and ${MAX_LIMIT}`, { param: 'limit' });
  }
  if (params.starting_after && params.ending_before) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', { param: 'ending_before' });
  }

  if (params.ending_before) {
    const cursor = indexOf(ordered, params.ending_before, 'ending_before', missingCursor);
    const newer = ordered.slice(0, cursor).filter(matches);
    return { data: newer.slice(-limit), has_more: newer.length > limit };
  }

  const start = params.starting_after ? indexOf(ordered, params.starting_after, 'starting_after', missingCursor) + 1 : 0;
  const older = ordered.slice(start).filter(matches);
  return { data: older.slice(0, limit), has_more: older.length > limit };
}

function indexOf<T extends { id: string }>(
  ordered: readonly T[],
  id: string,
  param: string,
  missingCursor: (id: string, param: string) => StripeApiError,
): number {
  const index = ordered.findIndex((item) => item.id === id);
  if (index === -1) throw missingCursor(id, param);
  return index;
}
