import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { batchedLookup } from './batched-lookup.ts';
import { GRAPHQL_RESOURCE, type GitHubGraphQL } from './client.ts';
import type { GitHubIssueModel, GitHubRepositoryModel } from './models.ts';
import { ADD_STAR, CREATE_ISSUE, REMOVE_STAR, repositoriesQuery, SEARCH_REPOSITORIES } from './queries.ts';
import { toRepository, type WireRepository } from './wire.ts';

/** Repositories by "owner/name", many per request. */
export async function retrieveRepositories(
  client: GitHubGraphQL,
  quota: QuotaTracker,
  namesWithOwner: readonly string[],
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
  return wire.map((repository) => (repository === null || repository instanceof Error ? repository : toRepository(repository)));
}

export async function searchRepositories(client: GitHubGraphQL, quota: QuotaTracker, query: string, first: number): Promise<GitHubRepositoryModel[]> {
  quota.assertAvailable(GRAPHQL_RESOURCE);
  const data = await client<{ search: { nodes: (WireRepository | Record<string, never>)[] } }>(SEARCH_REPOSITORIES, { searchQuery: query, first });
  return data.search.nodes.filter((node): node is WireRepository => 'nameWithOwner' in node).map(toRepository);
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
