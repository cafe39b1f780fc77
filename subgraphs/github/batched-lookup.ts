import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { GRAPHQL_RESOURCE, type GitHubGraphQL } from './client.ts';
import { isGraphqlFailure } from './errors.ts';

/**
 * Runs one aliased query (`<prefix>0`, `<prefix>1`, …) and splits GitHub's answer per alias: the value,
 * null where GitHub says NOT_FOUND, or the error for that alias alone. GitHub answers partial data with
 * per-path errors, so one unknown login never fails the other lookups of the batch.
 */
export async function batchedLookup<Wire>({
  client,
  quota,
  document,
  variables,
  prefix,
  count,
}: {
  client: GitHubGraphQL;
  quota: QuotaTracker;
  document: string;
  variables: Record<string, string>;
  prefix: string;
  count: number;
}): Promise<(Wire | null | Error)[]> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  let data: Record<string, unknown>;
  let errors: { type?: string; path?: (string | number)[]; message: string }[] = [];
  try {
    data = await client<Record<string, unknown>>(document, variables);
  } catch (error) {
    if (!isGraphqlFailure(error) || !error.data) throw error;
    data = error.data;
    errors = error.errors ?? [];
  }
  return Array.from({ length: count }, (_, i) => {
    const alias = `${prefix}${i}`;
    const value = data[alias];
    if (value) return value as Wire;
    const aliasErrors = errors.filter((e) => e.path?.[0] === alias);
    if (aliasErrors.length === 0 || aliasErrors.every((e) => e.type === 'NOT_FOUND')) return null;
    return Object.assign(new Error(aliasErrors[0]!.message), { name: 'GraphqlResponseError', errors: aliasErrors });
  });
}
