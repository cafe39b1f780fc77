import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { batchedLookup } from './batched-lookup.ts';
import { GRAPHQL_RESOURCE, type GitHubGraphQL } from './client.ts';
import type { GitHubIssueModel, GitHubRepositoryModel } from './models.ts';
import { ADD_STAR, CREATE_ISSUE, REMOVE_STAR, repositoriesQuery, SEARCH_REPOSITORIES } from './queries.ts';
import { toRepository, type WireRepository } from './wire.ts';

/**
 * Repositories by "owner/name", many per request, as `client`'s token sees them. With `publicOnly` (the app's
 * shared token, whose answers are cached for every caller), a private repository the token happens to see
 * (its own account's, its organizations') is null, as it is to anyone else: it must never reach a caller, or
 * the shared cache, through the app's access.
 */
export async function retrieveRepositories(
  client: GitHubGraphQL,
  quota: QuotaTracker,
  namesWithOwner: readonly string[],
  { publicOnly }: { publicOnly: boolean },
): Promise<(GitHubRepositoryModel | null | Error)[]> {
  const variables: Record<string, string> = {};
  namesWithOwner.forEach((nameWithOwner, i) => {
    const [owner = '', name = ''] = nameWithOwner.split('/');
    variables[`o${i}`] = owner;
    variables[`n${i}`] = name;
  });
  const wire = await batchedLookup<WireRepository>({
    client,
    quota,
    document: repositoriesQuery(namesWithOwner.length),
    variables,
    prefix: 'r',
    count: namesWithOwner.length,
  });
  return wire.map((repository) => (repository === null || repository instanceof Error ? repository : publicOnly && repository.isPrivate ? null : toRepository(repository)));
}

/**
 * GitHub's repository search with the app's shared token: public repositories only (`is:public`, and any
 * private one left out should GitHub still send it), for the reason retrieveRepositories gives.
 */
export async function searchRepositories(client: GitHubGraphQL, quota: QuotaTracker, query: string, first: number): Promise<GitHubRepositoryModel[]> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  const data = await client<{ search: { nodes: (WireRepository | Record<string, never>)[] } }>(SEARCH_REPOSITORIES, { searchQuery: `${query} is:public`, first });
  return data.search.nodes.filter((node): node is WireRepository => 'nameWithOwner' in node && !node.isPrivate).map(toRepository);
}

export async function setStarred(client: GitHubGraphQL, quota: QuotaTracker, repositoryId: string, starred: boolean): Promise<GitHubRepositoryModel> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  if (starred) {
    const data = await client<{ addStar: { starrable: WireRepository } }>(ADD_STAR, { id: repositoryId });
    return toRepository(data.addStar.starrable);
  }
  const data = await client<{ removeStar: { starrable: WireRepository } }>(REMOVE_STAR, { id: repositoryId });
  return toRepository(data.removeStar.starrable);
}

export async function createIssue(
  client: GitHubGraphQL,
  quota: QuotaTracker,
  input: { repositoryId: string; title: string; body?: string | null },
): Promise<GitHubIssueModel> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  const data = await client<{ createIssue: { issue: Omit<GitHubIssueModel, 'nameWithOwner'> & { repository: { nameWithOwner: string } } } }>(CREATE_ISSUE, {
    repositoryId: input.repositoryId,
    title: input.title,
    body: input.body ?? null,
  });
  const { repository, ...issue } = data.createIssue.issue;
  return { ...issue, nameWithOwner: repository.nameWithOwner };
}
