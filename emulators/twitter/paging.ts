import { compareIds } from './snowflake.ts';

/**
 * Opaque paging tokens (`next_token`, `previous_token`, `pagination_token`): which way to page and the id
 * of the tweet at the edge of the page the token came from. Ids rather than offsets, so that tweets
 * posted or deleted between requests neither repeat nor skip anything.
 */
export interface PageToken {
  direction: 'next' | 'previous';
  edgeId: string;
}

export function encodePageToken({ direction, edgeId }: PageToken): string {
  return `${direction === 'next' ? 'n' : 'p'}${BigInt(edgeId).toString(36)}`;
}

export function decodePageToken(token: string): PageToken | undefined {
  const match = /^([np])([0-9a-z]{1,13})$/.exec(token);
  if (!match) return undefined;
  const [, direction, digits = ''] = match;
  let edge = 0n;
  for (const digit of digits) edge = edge * 36n + BigInt(parseInt(digit, 36));
  if (edge >= 2n ** 63n) return undefined;
  return { direction: direction === 'n' ? 'next' : 'previous', edgeId: edge.toString() };
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
  previousToken?: string;
}

/**
 * One page of a newest-first list of tweets. Without a token: the newest `size`. With a `next` token: the
 * `size` tweets just older than its edge; with a `previous` token: the `size` tweets just newer. Tokens
 * are offered only where more tweets lie that way, and `previous` only away from the first page.
 */
export function pageOf<T extends { id: string }>(newestFirst: readonly T[], size: number, token?: PageToken): Page<T> {
  if (token?.direction === 'previous') {
    const newer = newestFirst.filter((item) => compareIds(item.id, token.edgeId) > 0);
    const items = newer.slice(Math.max(0, newer.length - size));
    return withTokens(items, { hasNewer: newer.length > items.length, hasOlder: items.length > 0 });
  }
  const candidates = token ? newestFirst.filter((item) => compareIds(item.id, token.edgeId) < 0) : newestFirst;
  const items = candidates.slice(0, size);
  return withTokens(items, { hasNewer: token !== undefined && items.length > 0, hasOlder: candidates.length > items.length });
}

function withTokens<T extends { id: string }>(items: T[], more: { hasNewer: boolean; hasOlder: boolean }): Page<T> {
  const page: Page<T> = { items };
  const oldest = items.at(-1);
  const newest = items[0];
  if (more.hasOlder && oldest) page.nextToken = encodePageToken({ direction: 'next', edgeId: oldest.id });
  if (more.hasNewer && newest) page.previousToken = encodePageToken({ direction: 'previous', edgeId: newest.id });
  return page;
}
