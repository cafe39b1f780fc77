import { probe, type HealthReport } from '../../kit/health.ts';
import type { GitHubGraphQL } from './client.ts';
import { RATE_LIMIT } from './queries.ts';

/** Reachable and the token accepted: `rateLimit` costs no points. */
export function checkGitHubHealth(client: GitHubGraphQL): Promise<HealthReport> {
  return probe(() => client(RATE_LIMIT));
}
