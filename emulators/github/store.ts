import { GITHUB_SEED, type GitHubSeed, type GitHubSeedIssue, type GitHubSeedRepository } from './fixtures/seed.ts';
import { LANGUAGE_COLORS } from './fixtures/languages.ts';
import { nodeId } from './node-ids.ts';
import type {
  IssueRecord,
  LanguageRecord,
  NodeRecord,
  OrganizationRecord,
  OwnerRecord,
  RepositoryRecord,
  UserRecord,
} from './records.ts';

export const GITHUB_WEB = 'https://github.com';

/** Who the token belongs to when nothing is seeded: `viewer` is non-null on GitHub, so someone must be. */
const UNSEEDED_VIEWER = {
  login: 'emulator-user',
  databaseId: 1,
  createdAt: '2026-01-01T00:00:00Z',
} as const;

/** Logins and repository names are case-insensitive on GitHub. */
const keyOf = (...parts: string[]): string => parts.join('/').toLowerCase();

/**
 * Every user, organization, repository and issue the emulator serves, with the lookups the resolvers
 * need. Mutations (stars, new issues) change it in place; nothing is persisted.
 */
/** The data every view of the store shares: one emulator's users, repositories, stars and issues. */
interface StoreData {
  readonly users: Map<string, UserRecord>;
  readonly organizations: Map<string, OrganizationRecord>;
  readonly repositories: Map<string, RepositoryRecord>;
  readonly nodes: Map<string, NodeRecord>;
  readonly languages: Map<string, LanguageRecord>;
  nextIssueDatabaseId: number;
}

export class Store {
  /** Who is asking: what is visible (private repositories) and who stars and authors depend on it. */
  readonly viewer: UserRecord;
  readonly #data: StoreData;

  constructor(seed: GitHubSeed | undefined, view?: { data: StoreData; viewer: UserRecord }) {
    if (view) {
      this.#data = view.data;
      this.viewer = view.viewer;
      return;
    }
    this.#data = { users: new Map(), organizations: new Map(), repositories: new Map(), nodes: new Map(), languages: new Map(), nextIssueDatabaseId: 2_200_000_000 };
    for (const user of seed?.users ?? []) {
      this.#add(this.#data.users, keyOf(user.login), {
        __typename: 'User',
        id: nodeId('User', user.databaseId),
        databaseId: user.databaseId,
        login: user.login,
        name: user.name,
        bio: user.bio,
        company: user.company,
        location: user.location,
        websiteUrl: user.websiteUrl,
        twitterUsername: user.twitterUsername,
        email: '',
        url: `${GITHUB_WEB}/${user.login}`,
        resourcePath: `/${user.login}`,
        createdAt: user.createdAt,
        updatedAt: user.updatedAt,
        follows: user.follows,
        externalFollowers: user.externalFollowers,
        externalFollowing: user.externalFollowing,
      });
    }
    for (const organization of seed?.organizations ?? []) {
      this.#add(this.#data.organizations, keyOf(organization.login), {
        __typename: 'Organization',
        id: nodeId('Organization', organization.databaseId),
        ...organization,
        url: `${GITHUB_WEB}/${organization.login}`,
        resourcePath: `/${organization.login}`,
      });
    }
    for (const repository of seed?.repositories ?? []) this.#addRepository(repository);

    const viewerLogin = seed?.viewerLogin ?? UNSEEDED_VIEWER.login;
    this.viewer = this.user(viewerLogin) ?? this.#addBareUser(UNSEEDED_VIEWER);
  }

  /**
   * The same data as `viewer` sees it (the user a token belongs to): changes made through either view are
   * seen by both. The seed's viewer is the emulator's own token's user.
   */
  as(viewer: UserRecord): Store {
    return viewer === this.viewer ? this : new Store(undefined, { data: this.#data, viewer });
  }

  user(login: string): UserRecord | undefined {
    return this.#data.users.get(keyOf(login));
  }

  organization(login: string): OrganizationRecord | undefined {
    return this.#data.organizations.get(keyOf(login));
  }

  owner(login: string): OwnerRecord | undefined {
    return this.user(login) ?? this.organization(login);
  }

  users(): UserRecord[] {
    return [...this.#data.users.values()];
  }

  organizations(): OrganizationRecord[] {
    return [...this.#data.organizations.values()];
  }

  /** Repositories the viewer may see, in seed order. */
  visibleRepositories(): RepositoryRecord[] {
    return [...this.#data.repositories.values()].filter((repository) => this.canSee(repository));
  }

  /** A repository the viewer may see; private ones of others are as absent as on GitHub. */
  repository(owner: string, name: string): RepositoryRecord | undefined {
    const repository = this.#data.repositories.get(keyOf(owner, name));
    return repository && this.canSee(repository) ? repository : undefined;
  }

  repositoryByKey(key: string): RepositoryRecord | undefined {
    return this.#data.repositories.get(key);
  }

  node(id: string): NodeRecord | undefined {
    const node = this.#data.nodes.get(id);
    if (node?.__typename === 'Repository' && !this.canSee(node)) return undefined;
    if (node?.__typename === 'Issue') {
      const repository = this.repositoryByKey(node.repositoryKey);
      if (!repository || !this.canSee(repository)) return undefined;
    }
    return node;
  }

  canSee(repository: RepositoryRecord): boolean {
    if (!repository.isPrivate) return true;
    const viewer = this.viewer.login.toLowerCase();
    if (repository.ownerLogin.toLowerCase() === viewer) return true;
    return this.organization(repository.ownerLogin)?.members.some((member) => member.toLowerCase() === viewer) ?? false;
  }

  repositoriesOwnedBy(login: string): RepositoryRecord[] {
    return this.visibleRepositories().filter((repository) => repository.ownerLogin.toLowerCase() === login.toLowerCase());
  }

  followersOf(user: UserRecord): UserRecord[] {
    return this.users().filter((candidate) => candidate.follows.includes(user.login));
  }

  followingOf(user: UserRecord): UserRecord[] {
    return user.follows.flatMap((login) => this.user(login) ?? []);
  }

  organizationsOf(user: UserRecord): OrganizationRecord[] {
    return this.organizations().filter((organization) => organization.members.includes(user.login));
  }

  /** The repositories `login` has starred, oldest star first, with when. */
  starsBy(login: string): { repository: RepositoryRecord; starredAt: string }[] {
    return this.visibleRepositories()
      .flatMap((repository) => {
        const star = repository.stars.find((candidate) => candidate.login === login);
        return star ? [{ repository, starredAt: star.starredAt }] : [];
      })
      .sort((a, b) => a.starredAt.localeCompare(b.starredAt));
  }

  /** True when the star is new. */
  addStar(repository: RepositoryRecord, login: string, at: string): boolean {
    if (repository.stars.some((star) => star.login === login)) return false;
    repository.stars.push({ login, starredAt: at });
    repository.stargazerCount += 1;
    repository.updatedAt = at;
    return true;
  }

  /** True when there was a star to remove. */
  removeStar(repository: RepositoryRecord, login: string, at: string): boolean {
    const index = repository.stars.findIndex((star) => star.login === login);
    if (index === -1) return false;
    repository.stars.splice(index, 1);
    repository.stargazerCount -= 1;
    repository.updatedAt = at;
    return true;
  }

  /** Issues and pull requests share numbers on GitHub; here only issues exist, so the next number is max + 1. */
  createIssue(repository: RepositoryRecord, input: { title: string; body: string; author: string; at: string }): IssueRecord {
    const number = Math.max(0, ...repository.issues.map((issue) => issue.number)) + 1;
    const issue = this.#issueRecord(repository, {
      number,
      databaseId: this.#data.nextIssueDatabaseId++,
      title: input.title,
      body: input.body,
      author: input.author,
      state: 'OPEN',
      createdAt: input.at,
      updatedAt: input.at,
      closedAt: null,
    });
    repository.issues.push(issue);
    this.#data.nodes.set(issue.id, issue);
    return issue;
  }

  #addRepository(seed: GitHubSeedRepository): void {
    const nameWithOwner = `${seed.owner}/${seed.name}`;
    const repository: RepositoryRecord = {
      __typename: 'Repository',
      id: nodeId('Repository', seed.databaseId),
      databaseId: seed.databaseId,
      name: seed.name,
      ownerLogin: seed.owner,
      nameWithOwner,
      description: seed.description,
      homepageUrl: seed.homepageUrl,
      url: `${GITHUB_WEB}/${nameWithOwner}`,
      resourcePath: `/${nameWithOwner}`,
      sshUrl: `git@github.com:${nameWithOwner}.git`,
      isPrivate: seed.isPrivate,
      visibility: seed.isPrivate ? 'PRIVATE' : 'PUBLIC',
      isFork: seed.forkOf !== null,
      isArchived: seed.isArchived,
      forkOf: seed.forkOf,
      forkCount: seed.forks,
      stargazerCount: seed.stars,
      // Seeded stars are dated at the repository's last update: fixed, and never before it existed.
      stars: seed.starredBy.map((login) => ({ login, starredAt: seed.updatedAt })),
      languages: seed.languages.map(({ name, size }) => ({ language: this.#language(name), size })),
      topics: seed.topics,
      createdAt: seed.createdAt,
      updatedAt: seed.updatedAt,
      pushedAt: seed.pushedAt,
      issues: [],
      hasIssuesEnabled: true,
    };
    for (const issue of seed.issues) {
      const record = this.#issueRecord(repository, issue);
      repository.issues.push(record);
      this.#data.nodes.set(record.id, record);
    }
    this.#add(this.#data.repositories, keyOf(seed.owner, seed.name), repository);
  }

  #issueRecord(repository: RepositoryRecord, issue: GitHubSeedIssue): IssueRecord {
    return {
      __typename: 'Issue',
      id: nodeId('Issue', repository.databaseId, issue.databaseId),
      databaseId: issue.databaseId,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      closed: issue.state === 'CLOSED',
      authorLogin: issue.author,
      repositoryKey: keyOf(repository.ownerLogin, repository.name),
      url: `${repository.url}/issues/${issue.number}`,
      resourcePath: `${repository.resourcePath}/issues/${issue.number}`,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
      closedAt: issue.closedAt,
    };
  }

  #language(name: string): LanguageRecord {
    let language = this.#data.languages.get(name);
    if (!language) {
      language = { __typename: 'Language', id: nodeId('Language', this.#data.languages.size + 1), name, color: LANGUAGE_COLORS[name] ?? null };
      this.#data.languages.set(name, language);
    }
    return language;
  }

  #addBareUser({ login, databaseId, createdAt }: typeof UNSEEDED_VIEWER): UserRecord {
    const user: UserRecord = {
      __typename: 'User',
      id: nodeId('User', databaseId),
      databaseId,
      login,
      name: null,
      bio: '',
      company: null,
      location: null,
      websiteUrl: null,
      twitterUsername: null,
      email: '',
      url: `${GITHUB_WEB}/${login}`,
      resourcePath: `/${login}`,
      createdAt,
      updatedAt: createdAt,
      follows: [],
      externalFollowers: 0,
      externalFollowing: 0,
    };
    this.#add(this.#data.users, keyOf(login), user);
    return user;
  }

  #add<T extends NodeRecord>(index: Map<string, T>, key: string, record: T): void {
    index.set(key, record);
    this.#data.nodes.set(record.id, record);
  }
}

export function createStore(seed: boolean): Store {
  return new Store(seed ? GITHUB_SEED : undefined);
}
