/**
 * A bounded map that forgets the entry used least recently. The gateway keeps plans and compiled operations
 * here (a client that sends endless distinct documents must not grow its memory without bound), and the
 * connected identities of recent callers.
 */
export class Lru<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();
  constructor(capacity: number) {
    this.capacity = capacity;
    if (capacity < 1) throw new Error('an LRU needs room for at least one entry');
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserting moves the key to the end: Map keeps insertion order, so the first key is the oldest.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
