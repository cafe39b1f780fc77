import { graphql } from '@octokit/graphql';
import { quotaFromHeaders, type QuotaTracker } from '../kit/quota.ts';
import type { ProviderRequestLog } from '../kit/provider-request-log.ts';
import type { GitHubSettings } from './config.ts';

export type GitHubGraphQL = typeof graphql;

/** GitHub's GraphQL API has one rate-limit window, its own ("graphql" resource). */
export const GRAPHQL_RESOURCE = 'graphql';

/**
 * @octokit/graphql bound to the token and base URL. Its fetch is wrapped to read GitHub's
 * `x-ratelimit-*` headers on every answer, successful or not, so the subgraph knows the remaining quota.
 * Octokit's graphql client does not retry; nothing is retried here either (see the resilience issue).
 * With `requestLog`, each answer's `X-GitHub-Request-Id` is recorded there too.
 */
export function createGitHubClient(settings: GitHubSettings, quota: QuotaTracker, requestLog?: ProviderRequestLog): GitHubGraphQL {
  const trackingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requestLog?.record(response.headers.get('x-github-request-id'));
    const reading = quotaFromHeaders(response.headers, 'x-ratelimit-');
    if (reading) quota.record(GRAPHQL_RESOURCE, reading);
    return response;
  };
  return graphql.defaults({
    baseUrl: settings.apiBase,
    headers: { authorization: `bearer ${settings.token}` },
    request: { fetch: trackingFetch },
  });
}
