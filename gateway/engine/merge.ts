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
