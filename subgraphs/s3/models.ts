/** What the S3 resolvers pass between each other: the provider's answers, before field resolvers shape them. */

/** HeadObject's answer, reduced to what the schema shows; safe to cache (no credentials, no URLs). */
export interface ObjectHead {
  size: number;
  contentType: string | null;
  lastModified: string | null;
  etag: string | null;
  metadata: Record<string, string>;
}

/** A known object: from a listing (size, etag, date) or from HeadObject (everything). */
export interface StoredObjectModel {
  bucket: string;
  key: string;
  size?: number;
  lastModified?: string | null;
  etag?: string | null;
  head?: ObjectHead;
}

export interface BucketModel {
  name: string;
  region: string | null;
}

export interface StoredObjectConnectionModel {
  bucket: string;
  objects: StoredObjectModel[];
  commonPrefixes: string[];
  /** Opaque cursor of the next page, when there is one. */
  nextCursor: string | null;
  hasPreviousPage: boolean;
}
