/**
 * The emulator's in-memory objects. Property names match GitHub's GraphQL field names wherever a field is
 * a plain value, so the default field resolver can read them; everything relational is resolved in
 * resolvers/ from the logins and keys kept here. `__typename` lets graphql-js resolve GitHub's
 * interfaces and unions (RepositoryOwner, Starrable, Node, SearchResultItem) without extra code.
 */

export interface UserRecord {
  readonly __typename: 'User';
  readonly id: string;
  readonly databaseId: number;
  readonly login: string;
  readonly name: string | null;
  readonly bio: string;
  readonly company: string | null;
  readonly location: string | null;
  readonly websiteUrl: string | null;
  readonly twitterUsername: string | null;
  /** GitHub hides emails unless made public; '' is what it answers then. */
  readonly email: string;
  readonly url: string;
  readonly resourcePath: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Seeded logins this user follows. */
  readonly follows: readonly string[];
  readonly externalFollowers: number;
  readonly externalFollowing: number;
}

export interface OrganizationRecord {
  readonly __typename: 'Organization';
  readonly id: string;
  readonly databaseId: number;
  readonly login: string;
  readonly name: string;
  readonly description: string;
  readonly location: string | null;
  readonly websiteUrl: string | null;
  readonly email: string | null;
  readonly url: string;
  readonly resourcePath: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly members: readonly string[];
}

export type OwnerRecord = UserRecord | OrganizationRecord;

export interface LanguageRecord {
  readonly __typename: 'Language';
  readonly id: string;
  readonly name: string;
  readonly color: string | null;
}

export interface StarRecord {
  readonly login: string;
  readonly starredAt: string;
}

export interface RepositoryRecord {
  readonly __typename: 'Repository';
  readonly id: string;
  readonly databaseId: number;
  readonly name: string;
  readonly ownerLogin: string;
  readonly nameWithOwner: string;
  readonly description: string | null;
  readonly homepageUrl: string | null;
  readonly url: string;
  readonly resourcePath: string;
  readonly sshUrl: string;
  readonly isPrivate: boolean;
  readonly visibility: 'PUBLIC' | 'PRIVATE';
  readonly isFork: boolean;
  readonly isArchived: boolean;
  readonly forkOf: string | null;
  readonly forkCount: number;
  /** All stargazers, including those outside the seed; changed by addStar/removeStar. */
  stargazerCount: number;
  /** The stargazers the emulator knows by login, oldest first. */
  readonly stars: StarRecord[];
  /** Bytes per language, largest first; the first is the primary language. */
  readonly languages: readonly { readonly language: LanguageRecord; readonly size: number }[];
  readonly topics: readonly string[];
  readonly createdAt: string;
  updatedAt: string;
  readonly pushedAt: string;
  readonly issues: IssueRecord[];
  readonly hasIssuesEnabled: boolean;
}

export interface IssueRecord {
  readonly __typename: 'Issue';
  readonly id: string;
  readonly databaseId: number;
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: 'OPEN' | 'CLOSED';
  readonly closed: boolean;
  readonly authorLogin: string;
  /** Lower-cased `owner/name` of its repository. */
  readonly repositoryKey: string;
  readonly url: string;
  readonly resourcePath: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
}

export type NodeRecord = UserRecord | OrganizationRecord | RepositoryRecord | IssueRecord;
