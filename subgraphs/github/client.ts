import { graphql } from '@octokit/graphql';
import { policyFetch } from '../../kit/resilience/policy-fetch.ts';
import { quotaFromHeaders, type QuotaTracker } from '../../kit/resilience/quota.ts';
import type { ProviderPolicy } from '../../kit/resilience/resilience.ts';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import type { GitHubSettings } from './config.ts';
import { githubRateLimit } from './errors.ts';
import { parseAnswersWithJSON } from './json-answers.ts';

export type GitHubGraphQL = typeof graphql;

/** The app's client, and a way to act as one user with their connection's access token. */
export type GitHubClient = GitHubGraphQL & {
  /**
   * The same transport (policy, request log) with the user's token, its answers' `x-ratelimit-*` and
   * throttling recorded in `quota`: that user's own tracker, since GitHub keeps one window per user. The
   * app's tracker never sees them.
   */
  forUser(accessToken: string, quota: QuotaTracker): GitHubGraphQL;
};

/** GitHub's GraphQL API has one rate-limit window per identity ("graphql" resource). */
export const GRAPHQL_RESOURCE = 'graphql';

/**
 * @octokit/graphql bound to the token and base URL, under the provider policy: Octokit does not retry,
 * so idempotent queries are retried there. Every identity's calls (the app's token here, a user's through
 * `forUser`) feed that identity's tracker only (see trackedGraphQL).
 */
export function createGitHubClient(settings: GitHubSettings, quota: QuotaTracker, requestLog?: ProviderRequestLog, policy?: ProviderPolicy): GitHubClient {
  const send = policy ? policyFetch({ policy, idempotent: isQuery, operation: operationName }) : fetch;
  const as = (token: string, tracker: QuotaTracker) => trackedGraphQL({ baseUrl: settings.apiBase, token, quota: tracker, send, requestLog });
  return Object.assign(as(settings.token, quota), { forUser: as });
}

/**
 * One identity's client. Its fetch reads GitHub's `x-ratelimit-*` headers on every answer, successful or
 * not, into `quota`, so the subgraph knows what that identity has left; with `requestLog`, each answer's
 * `X-GitHub-Request-Id` is recorded there too.
 *
 * When GitHub throttles a call (a spent window: 200 with `RATE_LIMITED`; a secondary rate limit: 403 or
 * 200 saying so), `quota` is told to back off: until `x-ratelimit-reset`, or `retry-after`, or one minute
 * when GitHub said nothing; until then that identity's calls fail fast with RATE_LIMITED. Neither kind
 * counts against the breaker (their HTTP statuses are not failures to the policy).
 */
function trackedGraphQL({
  baseUrl,
  token,
  quota,
  send,
  requestLog,
}: {
  baseUrl: string;
  token: string;
  quota: QuotaTracker;
  send: typeof fetch;
  requestLog: ProviderRequestLog | undefined;
}): GitHubGraphQL {
  const trackingFetch: typeof fetch = async (input, init) => {
    const response = await send(input, init);
    requestLog?.record(response.headers.get('x-github-request-id'));
    const reading = quotaFromHeaders(response.headers, 'x-ratelimit-');
    if (reading) quota.record(GRAPHQL_RESOURCE, reading);
    return response;
  };
  const client = graphql.defaults({ baseUrl, headers: { authorization: `bearer ${token}` }, request: { fetch: trackingFetch, hook: parseAnswersWithJSON } });
  const backingOff = (async (query: Parameters<GitHubGraphQL>[0], parameters?: Parameters<GitHubGraphQL>[1]) => {
    try {
      return await client(query, parameters);
    } catch (error) {
      const throttled = githubRateLimit(error);
      if (throttled) quota.backOff(GRAPHQL_RESOURCE, Date.now() + throttled.retryAfterSeconds * 1000);
      throw error;
    }
  }) as GitHubGraphQL;
  return Object.assign(backingOff, { defaults: client.defaults, endpoint: client.endpoint });
}

/** A GraphQL request that only reads (not a mutation), so retrying it cannot do anything twice. */
function isQuery(init: RequestInit | undefined): boolean {
  try {
    const { query } = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { query?: unknown };
    return typeof query === 'string' && !/^\s*mutation\b/.test(query);
  } catch {
    return false;
  }
}

/** The GraphQL operation's name, for metrics (GitHub's documents here are all named). */
function operationName(_input: unknown, init: RequestInit | undefined): string {
  const match = typeof init?.body === 'string' ? /"query":"\s*(?:query|mutation)\s+(\w+)/.exec(init.body) : null;
  return match?.[1] ?? 'graphql';
}
