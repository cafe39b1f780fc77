import type { ApolloServerPlugin } from '@apollo/server';
import type { StaleServe } from './cache/provider-cache.ts';

/** Response header in which a subgraph tells the gateway which cached entries it served stale. */
export const STALE_HEADER = 'x-gateway-stale';

/** One stale entry, as clients see it in `extensions.stale`. */
export interface StaleReport extends StaleServe {
  provider: string;
}

/** Puts the entries a subgraph served past their TTL (its provider failing) in a response header. */
export function stalePlugin<Context>({ provider, stale }: { provider: string; stale: () => readonly StaleServe[] }): ApolloServerPlugin<Context & object> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const served = stale();
          if (served.length > 0) response.http.headers.set(STALE_HEADER, JSON.stringify(served.map((serve): StaleReport => ({ provider, ...serve }))));
        },
      };
    },
  };
}

/** The reports in a subgraph's header; anything malformed is ignored (it only annotates an answer). */
export function parseStaleHeader(value: string | null): StaleReport[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.filter((r): r is StaleReport => typeof r === 'object' && r !== null && ['provider', 'kind', 'id', 'since'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string'))
      : [];
  } catch {
    return [];
  }
}
