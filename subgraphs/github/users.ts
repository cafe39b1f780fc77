import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { batchedLookup } from './batched-lookup.ts';
import { GRAPHQL_RESOURCE, type GitHubGraphQL } from './client.ts';
import type { GitHubRepositoryModel, GitHubUserModel } from './models.ts';
import { USER_REPOSITORIES, usersQuery, VIEWER_REPOSITORIES } from './queries.ts';
import { toRepository, toUser, type WireRepository, type WireUser } from './wire.ts';

/** Users, many per request: one aliased query for the whole batch. */
export async function retrieveUsers(client: GitHubGraphQL, quota: QuotaTracker, logins: readonly string[]): Promise<(GitHubUserModel | null | Error)[]> {
  const wire = await batchedLookup<WireUser>({
    client,
    quota,
    document: usersQuery(logins.length),
    variables: Object.fromEntries(logins.map((login, i) => [`l${i}`, login])),
    prefix: 'u',
    count: logins.length,
  });
  return wire.map((user) => (user === null || user instanceof Error ? user : toUser(user)));
}

export type RepositoryOrderField = 'STARGAZERS' | 'UPDATED_AT' | 'CREATED_AT' | 'NAME';

/** A user's repositories in another order or a larger page than come with the user: one request. */
export async function listUserRepositories(
  client: GitHubGraphQL,
  quota: QuotaTracker,
  { login, first, field }: { login: string; first: number; field: RepositoryOrderField },
): Promise<GitHubRepositoryModel[]> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  const data = await client<{ user: { repositories: { nodes: WireRepository[] } } | null }>(USER_REPOSITORIES, {
    login,
    first,
    field,
    direction: field === 'NAME' ? 'ASC' : 'DESC',
  });
  return (data.user?.repositories.nodes ?? []).map(toRepository);
}

/** The token's own account's repositories (private ones included): called with a user's client, never cached. */
export async function listViewerRepositories(client: GitHubGraphQL, quota: QuotaTracker, first: number): Promise<GitHubRepositoryModel[]> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  const data = await client<{ viewer: { repositories: { nodes: WireRepository[] } } }>(VIEWER_REPOSITORIES, { first });
  return data.viewer.repositories.nodes.map(toRepository);
}
