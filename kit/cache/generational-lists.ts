import { randomUUID } from 'node:crypto';
import type { ProviderCache } from './provider-cache.ts';

export interface GenerationalLists {
  /** A cached page of the list `scope` (a bucket, a customer's payment intents) for these `params`. */
  page<T>(scope: string, params: unknown, fetch: () => Promise<T>): Promise<T>;
  /** After a write: every cached page of `scope` is dropped at once. */
  invalidate(scope: string): Promise<void>;
}

/**
 * Cached list pages. Each page's key includes its scope's current generation, a random token that a write
 * replaces, so one cache write evicts every page and filter of the scope, on every replica sharing the cache,
 * without knowing which pages exist.
 */
export function createGenerationalLists<Kind extends string>({
  cache,
  pageKind,
  generationKind,
}: {
  cache: ProviderCache<Kind>;
  pageKind: Kind;
  generationKind: Kind;
}): GenerationalLists {
  const generationOf = async (scope: string) => (await cache.get<string>({ kind: generationKind, id: scope }))?.entry.value ?? 'initial';
  return {
    async page<T>(scope: string, params: unknown, fetch: () => Promise<T>) {
      const id = `${scope}:${await generationOf(scope)}:${JSON.stringify(params ?? null)}`;
      return cache.readThrough({ kind: pageKind, id }, fetch);
    },
    async invalidate(scope: string) {
      await cache.set({ kind: generationKind, id: scope }, randomUUID());
    },
  };
}
