import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is kept if it looks like one (bounded, printable), so logs can be joined up. */
export function requestIdFrom(value: unknown): string {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}
