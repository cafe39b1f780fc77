import { paginate, type PageArgs } from '../connection.ts';
import type { Resolver } from '../context.ts';
import type { IssueRecord, OwnerRecord, RepositoryRecord } from '../records.ts';
import { matchesRange, parseSearchQuery, qualifierValues, type ParsedSearch } from '../search-query.ts';
import type { Store } from '../store.ts';

type SearchType = 'REPOSITORY' | 'USER' | 'ISSUE' | 'DISCUSSION';

interface SearchArgs extends PageArgs {
  query: string;
  type: SearchType;
}

/**
 * `search(query:, type:)` over the seed, with the common part of GitHub's syntax: words matched
 * (case-insensitively, all of them) against names, descriptions, topics, titles and bodies; qualifiers
 * user/org/owner, repo, language, topic, is, archived, fork, stars, forks, in, sort for repositories;
 * type, location, followers, repos for users; repo, user/org, author, is/state for issues. Best match
 * is approximated by most stars (repositories), most followers (users) and newest (issues).
 */
export const search: Resolver<unknown, SearchArgs> = (_source, args, { store }, info) => {
  const parsed = parseSearchQuery(args.query);
  const results = args.type === 'REPOSITORY' ? searchRepositories(parsed, store) : args.type === 'USER' ? searchOwners(parsed, store) : args.type === 'ISSUE' ? searchIssues(parsed, store) : [];
  return {
    ...paginate<RepositoryRecord | OwnerRecord | IssueRecord>(results, args, info),
    repositoryCount: args.type === 'REPOSITORY' ? results.length : 0,
    userCount: args.type === 'USER' ? results.length : 0,
    issueCount: args.type === 'ISSUE' ? results.length : 0,
    discussionCount: 0,
    codeCount: 0,
    wikiCount: 0,
  };
};

function searchRepositories(search: ParsedSearch, store: Store): RepositoryRecord[] {
  const owners = qualifierValues(search, 'user', 'org', 'owner');
  const repos = qualifierValues(search, 'repo');
  const languages = qualifierValues(search, 'language');
  const topics = qualifierValues(search, 'topic');
  const is = qualifierValues(search, 'is').wanted;
  const archived = qualifierValues(search, 'archived').wanted[0];
  const fork = qualifierValues(search, 'fork').wanted[0] ?? 'false';
  const stars = qualifierValues(search, 'stars').wanted;
  const forks = qualifierValues(search, 'forks').wanted;
  const fields = qualifierValues(search, 'in').wanted.flatMap((value) => value.split(','));

  const found = store.visibleRepositories().filter((repository) => {
    const owner = repository.ownerLogin.toLowerCase();
    const language = repository.languages[0]?.language.name.toLowerCase() ?? '';
    const repositoryTopics = repository.topics.map((topic) => topic.toLowerCase());
    return (
      included(owner, owners) &&
      included(repository.nameWithOwner.toLowerCase(), repos) &&
      included(language, languages) &&
      (topics.wanted.every((topic) => repositoryTopics.includes(topic)) && !topics.excluded.some((topic) => repositoryTopics.includes(topic))) &&
      (!is.includes('public') || !repository.isPrivate) &&
      (!is.includes('private') || repository.isPrivate) &&
      (!is.includes('archived') || repository.isArchived) &&
      (archived === undefined || String(repository.isArchived) === archived) &&
      (fork === 'true' || (fork === 'only' ? repository.isFork : !repository.isFork)) &&
      stars.every((range) => matchesRange(repository.stargazerCount, range)) &&
      forks.every((range) => matchesRange(repository.forkCount, range)) &&
      search.terms.every((term) => repositoryText(repository, fields).includes(term))
    );
  });
  return sortRepositories(found, qualifierValues(search, 'sort').wanted[0]);
}

/** `sort:stars`, `sort:forks`, `sort:updated`, `sort:created`, optionally `-asc`/`-desc`; default most stars. */
function sortRepositories(repositories: RepositoryRecord[], sort = 'stars-desc'): RepositoryRecord[] {
  const [field = 'stars', direction = 'desc'] = sort.split('-');
  const value = (repository: RepositoryRecord): number =>
    field === 'forks'
      ? repository.forkCount
      : field === 'updated'
        ? Date.parse(repository.updatedAt)
        : field === 'created'
          ? Date.parse(repository.createdAt)
          : repository.stargazerCount;
  const sign = direction === 'asc' ? 1 : -1;
  return repositories.sort((a, b) => sign * (value(a) - value(b)) || a.nameWithOwner.localeCompare(b.nameWithOwner));
}

function repositoryText(repository: RepositoryRecord, fields: readonly string[]): string {
  const all = fields.length === 0;
  return [
    all || fields.includes('name') ? repository.name : '',
    all || fields.includes('description') ? (repository.description ?? '') : '',
    all || fields.includes('topics') ? repository.topics.join(' ') : '',
  ]
    .join('\n')
    .toLowerCase();
}

function searchOwners(search: ParsedSearch, store: Store): OwnerRecord[] {
  const type = qualifierValues(search, 'type').wanted[0];
  const locations = qualifierValues(search, 'location').wanted;
  const followers = qualifierValues(search, 'followers').wanted;
  const repos = qualifierValues(search, 'repos').wanted;
  const owners: OwnerRecord[] = [...(type === 'org' ? [] : store.users()), ...(type === 'user' ? [] : store.organizations())];
  const followerCount = (owner: OwnerRecord): number =>
    owner.__typename === 'User' ? store.followersOf(owner).length + owner.externalFollowers : 0;
  return owners
    .filter((owner) => {
      const text = [owner.login, owner.name ?? '', owner.__typename === 'User' ? owner.bio : owner.description].join('\n').toLowerCase();
      return (
        search.terms.every((term) => text.includes(term)) &&
        locations.every((location) => (owner.location ?? '').toLowerCase().includes(location)) &&
        followers.every((range) => matchesRange(followerCount(owner), range)) &&
        repos.every((range) => matchesRange(store.repositoriesOwnedBy(owner.login).length, range))
      );
    })
    .sort((a, b) => followerCount(b) - followerCount(a) || a.login.localeCompare(b.login));
}

function searchIssues(search: ParsedSearch, store: Store): IssueRecord[] {
  const repos = qualifierValues(search, 'repo');
  const owners = qualifierValues(search, 'user', 'org');
  const authors = qualifierValues(search, 'author');
  const states = [...qualifierValues(search, 'is').wanted, ...qualifierValues(search, 'state').wanted];
  if (states.includes('pr')) return []; // the emulator has no pull requests
  return store
    .visibleRepositories()
    .filter((repository) => included(repository.nameWithOwner.toLowerCase(), repos) && included(repository.ownerLogin.toLowerCase(), owners))
    .flatMap((repository) => repository.issues)
    .filter(
      (issue) =>
        included(issue.authorLogin.toLowerCase(), authors) &&
        (!states.includes('open') || issue.state === 'OPEN') &&
        (!states.includes('closed') || issue.state === 'CLOSED') &&
        search.terms.every((term) => `${issue.title}\n${issue.body}`.toLowerCase().includes(term)),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** Whether `value` passes `qualifier:` (any of the wanted ones, if given) and `-qualifier:` (none). */
function included(value: string, { wanted, excluded }: { wanted: string[]; excluded: string[] }): boolean {
  return (wanted.length === 0 || wanted.includes(value)) && !excluded.includes(value);
}
