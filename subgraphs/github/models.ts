/** What the GitHub resolvers pass around: GitHub's answers, flattened to what the schema shows. */

export interface GitHubRepositoryModel {
  /** GitHub's node id, needed by mutations (addStar, createIssue). */
  id: string;
  nameWithOwner: string;
  name: string;
  ownerLogin: string;
  description: string | null;
  url: string;
  stars: number;
  forks: number;
  isArchived: boolean;
  isPrivate: boolean;
  language: string | null;
  topics: string[];
  openIssues: number;
  createdAt: string;
  updatedAt: string;
}

export interface GitHubUserModel {
  login: string;
  name: string | null;
  bio: string | null;
  avatarUrl: string | null;
  url: string | null;
  company: string | null;
  location: string | null;
  followers: number;
  following: number;
  repositoryCount: number;
  /** The user's most starred repositories, fetched with the user (REPOSITORIES_PER_USER of them). */
  topRepositories: GitHubRepositoryModel[];
}

export interface GitHubIssueModel {
  number: number;
  title: string;
  url: string;
  state: string;
  createdAt: string;
  nameWithOwner: string;
  /** The repository as the issue's author saw it when opening it (it may be private to them). */
  repository?: GitHubRepositoryModel | undefined;
}
