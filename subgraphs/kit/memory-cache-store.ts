import { Keyv } from 'keyv';
import type { CacheStore } from './cache-store.ts';

/** The embedded default: per-process maps, nothing to run. */
export function createMemoryCacheStore(): CacheStore {
  const namespaces = new Map<string, Keyv>();
  return {
    kind: 'memory',
    namespace(namespace) {
      let keyv = namespaces.get(namespace);
      if (!keyv) {
        keyv = new Keyv({ namespace });
        namespaces.set(namespace, keyv);
      }
      return keyv;
    },
    async ping() {},
    async close() {
      await Promise.all([...namespaces.values()].map((keyv) => keyv.clear()));
      namespaces.clear();
    },
  };
}
