import type { RequestHandler } from 'express';
import { getParameters } from './get-parameters.ts';
import { resolveTrustedDocument, type DocumentRequest, type TrustedDocumentsPolicy } from '../persisted-documents/resolve.ts';

type Refusal = { code: string; message: string };

/** The request as Apollo Server should see it: the manifest's document in `query`, no id left to confuse APQ. */
function rewritten(request: Record<string, unknown>, query: string): Record<string, unknown> {
  const { documentId: _documentId, extensions, ...rest } = request;
  const { persistedQuery: _persistedQuery, ...otherExtensions } = typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>) : {};
  return { ...rest, query, ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}) };
}

function resolveBody(body: unknown, policy: TrustedDocumentsPolicy): { body: unknown } | Refusal {
  if (typeof body !== 'object' || body === null) return { body };
  const resolution = resolveTrustedDocument(body as DocumentRequest, policy);
  if (resolution.kind === 'refused') return resolution;
  return { body: resolution.kind === 'run' && resolution.fromManifest ? rewritten(body as Record<string, unknown>, resolution.query) : body };
}

/**
 * Trusted documents over HTTP, before Apollo Server: POST bodies (one operation or a batch) and GET
 * parameters naming a document by id get the manifest's document; what the policy refuses is answered
 * 400 with Apollo Router's code (`PERSISTED_QUERY_NOT_IN_LIST`, `QUERY_NOT_IN_SAFELIST`), before parsing.
 */
export function trustedDocumentsHttp(policy: TrustedDocumentsPolicy): RequestHandler {
  const refuse = (res: Parameters<RequestHandler>[1], refusal: Refusal) => res.status(400).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  return (req, res, next) => {
    if (req.method === 'GET') {
      const resolution = resolveTrustedDocument(getParameters(req.url), policy);
      if (resolution.kind === 'refused') return void refuse(res, resolution);
      if (resolution.kind === 'run' && resolution.fromManifest) {
        const url = new URL(req.url, 'http://gateway.invalid');
        const params = url.searchParams;
        params.delete('documentId');
        params.delete('extensions');
        params.set('query', resolution.query);
        req.url = `${url.pathname}${url.search}`;
      }
      return next();
    }
    if (Array.isArray(req.body)) {
      const resolved = (req.body as unknown[]).map((operation) => resolveBody(operation, policy));
      const refused = resolved.find((r): r is Refusal => 'code' in r);
      if (refused) return void refuse(res, refused);
      req.body = resolved.map((r) => (r as { body: unknown }).body);
      return next();
    }
    const resolved = resolveBody(req.body, policy);
    if ('code' in resolved) return void refuse(res, resolved);
    req.body = resolved.body;
    next();
  };
}
