/**
 * Trusted documents: the operations a gateway's own clients were built with, by id. Read from the two
 * manifest formats clients' build tools write:
 * - GraphQL Code Generator's client preset (`persisted-documents.json`): `{ "<hash>": "<document>" }`;
 * - Apollo's persisted query manifest (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`.
 */
export interface PersistedDocuments {
  /** Each document by its id. */
  readonly byId: ReadonlyMap<string, string>;
  /** Every document's text, for allowing a client that sends the text itself (safelisting). */
  readonly bodies: ReadonlySet<string>;
}

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: number;
  operations: { id?: unknown; body?: unknown }[];
}

const isApolloManifest = (value: unknown): value is ApolloManifest =>
  typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'apollo-persisted-query-manifest';

/** Parses a manifest; throws naming what is wrong with it (a manifest that half-loads would refuse real clients). */
export function parsePersistedDocuments(text: string): PersistedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new Error('not JSON: expected GraphQL Code Generator\'s persisted-documents.json or an Apollo persisted query manifest');
  }
  const entries: [string, string][] = [];
  if (isApolloManifest(manifest)) {
    if (manifest.version !== 1) throw new Error(`Apollo persisted query manifest version ${String(manifest.version)} is not supported (1 is)`);
    if (!Array.isArray(manifest.operations)) throw new Error('Apollo persisted query manifest without an "operations" list');
    for (const [index, operation] of manifest.operations.entries()) {
      if (typeof operation.id !== 'string' || typeof operation.body !== 'string') throw new Error(`operations[${index}] needs a string "id" and "body"`);
      entries.push([operation.id, operation.body]);
    }
  } else if (typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest)) {
    for (const [id, body] of Object.entries(manifest)) {
      if (typeof body !== 'string') throw new Error(`"${id}" is not mapped to a document`);
      entries.push([id, body]);
    }
  } else {
    throw new Error('expected an object of id → document, or an Apollo persisted query manifest');
  }
  if (entries.length === 0) throw new Error('holds no documents');
  return { byId: new Map(entries), bodies: new Set(entries.map(([, body]) => body)) };
}
