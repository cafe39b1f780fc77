import { X509Certificate } from 'node:crypto';

/** Fetches the PEM text at an (already allowed) URL. */
export type FetchCertificate = (url: string) => Promise<string>;

/** SNS certificates are a couple of KiB; anything much larger is not one. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * GET with a timeout, no redirects (a redirect could lead off the allowed hosts) and a size cap.
 * Node's fetch checks the TLS certificate of an https: host, which is what ties the PEM to Amazon.
 */
export const fetchCertificateOverHttp: FetchCertificate = async (url) => {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`certificate fetch answered ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_CERTIFICATE_BYTES) throw new Error('certificate too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};

export interface CertificateCache {
  /** The parsed certificate at `url`, fetched once and kept (bounded, least recently used out). */
  get(url: string): Promise<X509Certificate>;
}

/**
 * Certificates by URL. SNS publishes a new certificate under a new URL, so an entry never goes stale;
 * concurrent requests for one URL share a single fetch, and a failed fetch is not remembered.
 */
export function createCertificateCache({ fetchCertificate = fetchCertificateOverHttp, maxEntries = 100 }: { fetchCertificate?: FetchCertificate; maxEntries?: number } = {}): CertificateCache {
  const entries = new Map<string, Promise<X509Certificate>>();
  return {
    get(url) {
      const cached = entries.get(url);
      if (cached) {
        entries.delete(url); // re-insert: Map order is recency order
        entries.set(url, cached);
        return cached;
      }
      const loading = fetchCertificate(url).then((pem) => new X509Certificate(pem));
      entries.set(url, loading);
      loading.catch(() => {
        if (entries.get(url) === loading) entries.delete(url);
      });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return loading;
    },
  };
}
