/** A JSON object as the subgraphs answer it. */
export type JsonObject = { [key: string]: unknown };

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges a subgraph's answer into what earlier fetches answered, in place: objects field by field, lists
 * item by item (two fetches of one list see the same items in the same order), anything else replaced.
 * Entity fetches rely on the objects staying the same ones: later fetches find them by path.
 */
export function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const key in source) {
    const incoming = source[key];
    const existing = target[key];
    if (isObject(existing) && isObject(incoming)) mergeInto(existing, incoming);
    else if (Array.isArray(existing) && Array.isArray(incoming) && existing.length === incoming.length) mergeLists(existing, incoming);
    else target[key] = incoming;
  }
}

function mergeLists(target: unknown[], source: unknown[]): void {
  for (let i = 0; i < source.length; i++) {
    const existing = target[i];
    const incoming = source[i];
    if (isObject(existing) && isObject(incoming)) mergeInto(existing, incoming);
    else if (Array.isArray(existing) && Array.isArray(incoming) && existing.length === incoming.length) mergeLists(existing, incoming);
    else target[i] = incoming;
  }
}

/**
 * A deep copy of a parsed JSON value: new objects and lists, the same strings. Several times cheaper than
 * parsing the text again (no string is copied), which is what sharers of one subgraph answer did.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const list = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = cloneJson(value[i]);
    return list as T;
  }
  const object: JsonObject = {};
  for (const key in value) {
    const item = cloneJson((value as JsonObject)[key]);
    // JSON.parse makes "__proto__" an own key; assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
    else object[key] = item;
  }
  return object as T;
}
