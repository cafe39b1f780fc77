import { ErrorCode, gatewayError } from './errors.ts';

export const MAX_PAGE_SIZE = 100;

/** A connection's `first`, bounded so one query cannot ask a provider for unbounded pages. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw gatewayError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  return size;
}

export interface PageInfoModel {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** Relay edges and page info for providers whose cursor is the id of an item (Stripe's `starting_after`). */
export function idConnection<T extends { id: string }>(page: { data: T[]; hasMore: boolean; hasPrevious: boolean }) {
  const first = page.data[0];
  const last = page.data.at(-1);
  return {
    edges: page.data.map((node) => ({ cursor: node.id, node })),
    nodes: page.data,
    pageInfo: {
      hasNextPage: page.hasMore,
      hasPreviousPage: page.hasPrevious,
      startCursor: first?.id ?? null,
      endCursor: last?.id ?? null,
    } satisfies PageInfoModel,
  };
}
