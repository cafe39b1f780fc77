import { cloneObject, isPlainObject } from './clone.ts';

/**
 * `data.previous_attributes` of an `*.updated` event: the old values of what changed. Nested hashes
 * (metadata, cancellation_details) list only their changed keys, and a key that did not exist before is
 * reported as `null`, as Stripe does.
 */
export function previousAttributes<T extends object>(before: T, after: T): Partial<T> {
  return diff(before as Record<string, unknown>, after as Record<string, unknown>) as Partial<T>; // a subset of T's keys
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (sameValue(old, now)) continue;
    changed[key] = isPlainObject(old) && isPlainObject(now) ? diff(old, now) : old === undefined ? null : cloneObject(old);
  }
  return changed;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function hasChanges(previous: object): boolean {
  return Object.keys(previous).length > 0;
}
