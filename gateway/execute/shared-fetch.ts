import { PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';

interface Buffered {
  status: number;
  headers: [string, string][];
  body: string;
}

const headerOf = (headers: RequestInit['headers'], name: string): string => {
  if (!headers) return '';
  if (headers instanceof Headers) return headers.get(name) ?? '';
  if (Array.isArray(headers)) return headers.find((pair) => pair[0]?.toLowerCase() === name)?.[1] ?? '';
  return (headers as Record<string, string>)[name] ?? '';
};

/** A read: a POSTed GraphQL query (not a mutation), whose answer may be shared. */
const isQuery = (body: string) => /^\{\s*"query"\s*:\s*"\s*(?:query\b|\{)/.test(body);

/**
 * Subgraph requests identical in every way that matters (endpoint, document and variables, and the signed
 * caller) that are in flight at the same moment are sent once and their answer shared: under load many
 * operations plan the same fetches. Never across callers (the principal is part of the key), never for
 * mutations. The operations that share an answer share its request id in the subgraph's logs.
 */
export function sharedInFlightFetch(baseFetch: (url: string, init?: RequestInit) => Promise<Response> = fetch) {
  const inFlight = new Map<string, Promise<Buffered>>();
  return async (url: string, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (!body || (init?.method ?? 'GET').toUpperCase() !== 'POST' || !isQuery(body)) return baseFetch(url, init);
    const key = `${url}\u0000${headerOf(init?.headers, PRINCIPAL_HEADER)}\u0000${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = baseFetch(url, init).then(async (response) => ({ status: response.status, headers: [...response.headers], body: await response.text() }));
      inFlight.set(key, shared);
      const forget = () => inFlight.delete(key);
      shared.then(forget, forget);
    }
    const { status, headers, body: text } = await shared;
    return new Response(text, { status, headers });
  };
}
