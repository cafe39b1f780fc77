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
        // A map of its own isolates the namespace; Keyv's namespace option is left off because keyv 5
        // mis-reads keys that happen to start with the namespace (Apollo's "apq:" keys, for one).
        keyv = new Keyv();
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
