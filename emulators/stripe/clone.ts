/**
 * A deep copy of an API object, so that what a client, an event or a replay holds never changes when the
 * store moves on. Class instances (the SDK's immutable `Decimal`) are shared, not copied: they serialise
 * themselves to Stripe's decimal strings.
 */
export function cloneObject<T>(value: T): T {
  return cloneValue(value) as T; // the copy has the same shape as the original
}

function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cloneValue(inner)]));
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
