import type { ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { QuotaTracker } from '../../kit/resilience/quota.ts';

/**
 * X limits each endpoint separately; ids in paths are folded (never the API version, `/2`) so that every
 * user's timeline shares its endpoint's window.
 */
export function endpointOf(method: string, url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment, index) => (index > 1 && /^\d+$/.test(segment) ? ':id' : segment))
    .join('/')
    .replace(/\/by\/username\/[^/]+$/, '/by/username/:username');
  return `${method.toUpperCase()} ${path}`;
}

/** Records X's `x-rate-limit-*` readings, from answers and from 429s alike. */
export function quotaPlugin(quota: QuotaTracker): ITwitterApiClientPlugin {
  return {
    onAfterRequest({ url, params, response }) {
      const limit = response.rateLimit;
      if (limit) quota.record(endpointOf(params.method ?? 'GET', url), { limit: limit.limit, remaining: limit.remaining, resetAt: limit.reset * 1000 });
    },
    onResponseError({ url, params, error }) {
      const limit = error.rateLimit;
      if (limit) quota.record(endpointOf(params.method ?? 'GET', url), { limit: limit.limit, remaining: limit.remaining, resetAt: limit.reset * 1000 });
    },
  };
}
