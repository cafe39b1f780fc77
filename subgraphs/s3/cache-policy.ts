import type { CachePolicy } from '../../kit/cache/provider-cache.ts';

/**
 * Every S3 entry is `shared`: the subgraph reads with the gateway's own credentials, so a value depends
 * only on bucket and key, never on who asked. Who may ask is decided before a resolver runs.
 */
export const s3CachePolicy = {
  /** HeadObject answers; a missing key is remembered briefly, since an upload may create it any moment. */
  head: { ttlMs: 60_000, missingTtlMs: 5_000, scope: 'shared' },
  bucket: { ttlMs: 300_000, missingTtlMs: 30_000, scope: 'shared' },
  /** Listing pages; short, and dropped whenever the bucket's generation moves on. */
  listing: { ttlMs: 10_000, scope: 'shared' },
  /** A counter per bucket, bumped by writes, that is part of every listing key: one write evicts every page. */
  listingGeneration: { ttlMs: 86_400_000, scope: 'shared' },
} as const satisfies CachePolicy<string>;

export type S3CacheKind = keyof typeof s3CachePolicy;
