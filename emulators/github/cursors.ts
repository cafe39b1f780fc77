import { decodeIntArray, encodeIntArray } from './msgpack-ints.ts';

const CURSOR_PREFIX = 'cursor:v2:';

/** GitHub-shaped opaque cursor for the item at 1-based `position` of a list. */
export function cursorFor(position: number): string {
  return Buffer.concat([Buffer.from(CURSOR_PREFIX), encodeIntArray([position])]).toString('base64');
}

/** The position a cursor stands for, or undefined when it is not one of ours. */
export function positionOf(cursor: string): number | undefined {
  const bytes = Buffer.from(cursor, 'base64');
  if (bytes.subarray(0, CURSOR_PREFIX.length).toString('latin1') !== CURSOR_PREFIX) return undefined;
  const values = decodeIntArray(bytes.subarray(CURSOR_PREFIX.length));
  return values?.length === 1 ? values[0] : undefined;
}
