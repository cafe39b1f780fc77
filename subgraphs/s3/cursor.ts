import { ErrorCode, gatewayError } from '../../kit/errors.ts';

/**
 * Connection cursors over S3's two ways to resume a listing: a page's end is S3's ContinuationToken,
 * an edge is its key (resumed with StartAfter). Both are opaque to clients.
 */
export type ListPosition = { continuationToken: string } | { startAfter: string };

export function pageCursor(continuationToken: string): string {
  return Buffer.from(`t:${continuationToken}`, 'utf8').toString('base64url');
}

export function edgeCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

export function positionAfter(cursor: string | null | undefined): ListPosition | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (decoded.startsWith('t:') && decoded.length > 2) return { continuationToken: decoded.slice(2) };
  if (decoded.startsWith('k:') && decoded.length > 2) return { startAfter: decoded.slice(2) };
  throw gatewayError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this connection', { argument: 'after' });
}
