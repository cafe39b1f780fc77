import { ErrorCode } from '../../kit/errors.ts';
import type { PersistedDocuments } from './manifest.ts';

/** The parts of a GraphQL request (HTTP body, GET parameters, or graphql-ws payload) that name its document. */
export interface DocumentRequest {
  query?: unknown;
  /** The GraphQL-over-HTTP persisted documents field (GraphQL Code Generator's client preset, Hive). */
  documentId?: unknown;
  extensions?: unknown;
}

export interface TrustedDocumentsPolicy {
  readonly documents: PersistedDocuments;
  /** Whether operations that are not in the manifest may run (sent as text, or registered through APQ). */
  readonly allowArbitrary: boolean;
}

const NOT_IN_LIST = ErrorCode.PERSISTED_QUERY_NOT_IN_LIST;
const NOT_IN_SAFELIST = ErrorCode.QUERY_NOT_IN_SAFELIST;

export type Resolution =
  /** Run this document (the request's own, or the manifest's for its id). */
  | { readonly kind: 'run'; readonly query: string; readonly fromManifest: boolean }
  /** Leave the request as it is (no id we know, arbitrary operations allowed: APQ and plain text go on). */
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly code: typeof NOT_IN_LIST | typeof NOT_IN_SAFELIST; readonly message: string };

function persistedQueryHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  const hash = typeof persisted === 'object' && persisted !== null ? (persisted as { sha256Hash?: unknown }).sha256Hash : undefined;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * Which document a request runs under a trusted documents policy. An id (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`) found in the manifest runs the manifest's document; an id not
 * found is refused, unless arbitrary operations are allowed (then it goes on to APQ). A document sent as
 * text runs when arbitrary operations are allowed or when it is exactly one of the manifest's.
 */
export function resolveTrustedDocument(request: DocumentRequest, { documents, allowArbitrary }: TrustedDocumentsPolicy): Resolution {
  const id = typeof request.documentId === 'string' ? request.documentId : persistedQueryHash(request.extensions);
  const text = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
  if (id !== undefined && text === undefined) {
    // Manifests key documents as `sha256:<hex>` (codegen's client preset) or bare hex (Apollo's); clients send either.
    const query = documents.byId.get(id) ?? documents.byId.get(id.startsWith('sha256:') ? id.slice('sha256:'.length) : `sha256:${id}`);
    if (query !== undefined) return { kind: 'run', query, fromManifest: true };
    if (allowArbitrary) return { kind: 'unchanged' };
    return { kind: 'refused', code: NOT_IN_LIST, message: `Persisted query ${id} is not in the list of trusted documents` };
  }
  if (allowArbitrary || text === undefined) return { kind: 'unchanged' };
  if (documents.bodies.has(text)) return { kind: 'run', query: text, fromManifest: true };
  return { kind: 'refused', code: NOT_IN_SAFELIST, message: 'Only trusted documents may run here: send the document\'s id' };
}
