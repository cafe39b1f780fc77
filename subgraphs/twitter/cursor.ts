import { ErrorCode, gatewayError } from '../../kit/errors.ts';

/** A page's end is X's `next_token`; an edge is its post id, resumed with `until_id`. Both opaque to clients. */
export type TimelinePosition = { paginationToken: string } | { untilId: string };

export const pageCursor = (token: string) => Buffer.from(`t:${token}`, 'utf8').toString('base64url');
export const edgeCursor = (id: string) => Buffer.from(`i:${id}`, 'utf8').toString('base64url');

export function positionAfter(cursor: string | null | undefined): TimelinePosition | undefined {
  if (cursor == null) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (decoded.startsWith('t:') && decoded.length > 2) return { paginationToken: decoded.slice(2) };
  if (/^i:\d+$/.test(decoded)) return { untilId: decoded.slice(2) };
  throw gatewayError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this connection', { argument: 'after' });
}
