import { paginate, type PageArgs } from '../connection.ts';
import type { GitHubContext, Resolver, TypeResolvers } from '../context.ts';
import { notFound } from '../github-errors.ts';
import { nodeId } from '../node-ids.ts';
import type { IssueRecord, RepositoryRecord, StarRecord } from '../records.ts';
import { authorAssociation } from '../rest-objects.ts';
import type { OrderDirection } from './repository-list.ts';

type IssueState = 'OPEN' | 'CLOSED';

export interface IssueListArgs extends PageArgs {
  states?: readonly IssueState[] | null;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS'; direction: OrderDirection } | null;
  filterBy?: { states?: readonly IssueState[] | null; createdBy?: string | null } | null;
}

export const repositoryResolvers: TypeResolvers = {
  owner: ((repository, _args, { store }) => store.owner(repository.ownerLogin) ?? null) satisfies Resolver<RepositoryRecord>,
  primaryLanguage: ((repository) => repository.languages[0]?.language ?? null) satisfies Resolver<RepositoryRecord>,
  languages: ((repository, args, _context, info) => ({
    ...paginate(repository.languages, args, info, { node: ({ language }) => language, edgeFields: ({ size }) => ({ size }) }),
    totalSize: repository.languages.reduce((total, { size }) => total + size, 0),
  })) satisfies Resolver<RepositoryRecord, PageArgs>,
  repositoryTopics: ((repository, args, _context, info) =>
    paginate(
      repository.topics.map((name, index) => ({
        __typename: 'RepositoryTopic',
        id: nodeId('RepositoryTopic', repository.databaseId, index + 1),
        topic: { __typename: 'Topic', id: nodeId('Topic', topicNumber(name)), name },
        url: `https://github.com/topics/${name}`,
        resourcePath: `/topics/${name}`,
      })),
      args,
      info,
    )) satisfies Resolver<RepositoryRecord, PageArgs>,
  issues: ((repository, args, _context, info) => paginate(listIssues(repository, args), args, info)) satisfies Resolver<RepositoryRecord, IssueListArgs>,
  issue: ((repository, { number }) => {
    const issue = repository.issues.find((candidate) => candidate.number === number);
    if (!issue) throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
    return issue;
  }) satisfies Resolver<RepositoryRecord, { number: number }>,
  stargazers: ((repository, args, { store }, info) => {
    const stars = args.orderBy?.direction === 'DESC' ? [...repository.stars].reverse() : repository.stars;
    return paginate(stars, args, info, {
      totalCount: repository.stargazerCount,
      node: (star: StarRecord) => store.user(star.login) ?? null,
      edgeFields: ({ starredAt }) => ({ starredAt }),
    });
  }) satisfies Resolver<RepositoryRecord, PageArgs & { orderBy?: { direction: OrderDirection } | null }>,
  viewerHasStarred: ((repository, _args, { viewer }) => repository.stars.some((star) => star.login === viewer.login)) satisfies Resolver<RepositoryRecord>,
  viewerCanAdminister: ((repository, _args, context) => canAdminister(repository, context)) satisfies Resolver<RepositoryRecord>,
  viewerCanUpdateTopics: ((repository, _args, context) => canAdminister(repository, context)) satisfies Resolver<RepositoryRecord>,
  isInOrganization: ((repository, _args, { store }) => store.organization(repository.ownerLogin) !== undefined) satisfies Resolver<RepositoryRecord>,
  parent: ((repository, _args, { store }) => {
    if (!repository.forkOf) return null;
    const [owner = '', name = ''] = repository.forkOf.split('/');
    return store.repository(owner, name) ?? null;
  }) satisfies Resolver<RepositoryRecord>,
  diskUsage: ((repository) => Math.round(repository.languages.reduce((total, { size }) => total + size, 0) / 1024)) satisfies Resolver<RepositoryRecord>,
  descriptionHTML: ((repository) => `<div>${repository.description ?? ''}</div>`) satisfies Resolver<RepositoryRecord>,
};

export const issueResolvers: TypeResolvers = {
  author: ((issue, _args, { store }) => store.user(issue.authorLogin) ?? null) satisfies Resolver<IssueRecord>,
  repository: ((issue, _args, { store }) => store.repositoryByKey(issue.repositoryKey)) satisfies Resolver<IssueRecord>,
  bodyText: ((issue) => issue.body) satisfies Resolver<IssueRecord>,
  bodyHTML: ((issue) => (issue.body ? `<p dir="auto">${issue.body}</p>` : '')) satisfies Resolver<IssueRecord>,
  bodyUrl: ((issue) => `${issue.url}#issue-${issue.databaseId}`) satisfies Resolver<IssueRecord>,
  titleHTML: ((issue) => issue.title) satisfies Resolver<IssueRecord>,
  authorAssociation: ((issue, _args, { store }) => {
    const repository = store.repositoryByKey(issue.repositoryKey);
    return repository ? authorAssociation(issue, repository, store) : 'NONE';
  }) satisfies Resolver<IssueRecord>,
  viewerDidAuthor: ((issue, _args, { viewer }) => issue.authorLogin === viewer.login) satisfies Resolver<IssueRecord>,
};

/** A repository's issues as `issues(states:, orderBy:, filterBy:)` lists them; oldest first by default. */
export function listIssues(repository: RepositoryRecord, args: IssueListArgs): IssueRecord[] {
  const states = args.states ?? args.filterBy?.states;
  const author = args.filterBy?.createdBy?.toLowerCase();
  const issues = repository.issues.filter(
    (issue) => (!states || states.includes(issue.state)) && (!author || issue.authorLogin.toLowerCase() === author),
  );
  const { field, direction } = args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
  const sign = direction === 'DESC' ? -1 : 1;
  const key = (issue: IssueRecord): string => (field === 'UPDATED_AT' ? issue.updatedAt : issue.createdAt);
  return issues.sort((a, b) => sign * key(a).localeCompare(key(b)) || a.number - b.number);
}

function canAdminister(repository: RepositoryRecord, { viewer, store }: GitHubContext): boolean {
  return repository.ownerLogin === viewer.login || (store.organization(repository.ownerLogin)?.members.includes(viewer.login) ?? false);
}

/** A stable number per topic name, for its node id. */
function topicNumber(name: string): number {
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash;
}
