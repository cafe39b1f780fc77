/** An object the emulator keeps: every Stripe resource has an id and a creation time. */
export interface Identified {
  readonly id: string;
  readonly created: number;
}

/**
 * The objects of one resource type, in the order Stripe lists them: newest `created` first, and among
 * objects created in the same second, the one stored later first.
 */
export class Collection<T extends Identified> {
  readonly #items = new Map<string, { value: T; sequence: number }>();
  #sequence = 0;

  insert(value: T): T {
    if (this.#items.has(value.id)) throw new Error(`duplicate id ${value.id}`);
    this.#items.set(value.id, { value, sequence: ++this.#sequence });
    return value;
  }

  get(id: string): T | undefined {
    return this.#items.get(id)?.value;
  }

  /** Stores a new version of an object; it keeps its place in listings. */
  replace(value: T): T {
    const entry = this.#items.get(value.id);
    if (!entry) throw new Error(`no object ${value.id} to replace`);
    entry.value = value;
    return value;
  }

  remove(id: string): void {
    this.#items.delete(id);
  }

  /** Every object, newest first. */
  ordered(): T[] {
    return [...this.#items.values()]
      .sort((a, b) => b.value.created - a.value.created || b.sequence - a.sequence)
      .map((entry) => entry.value);
  }

  get size(): number {
    return this.#items.size;
  }
}
