import type { GitHubRepositoryModel, GitHubUserModel } from './models.ts';

/** The shapes GitHub answers the documents in queries.ts with. */
export interface WireRepository {
  id: string;
  nameWithOwner: string;
  name: string;
  owner: { login: string };
  description: string | null;
  url: string;
  stargazerCount: number;
  forkCount: number;
  isArchived: boolean;
  isPrivate: boolean;
  primaryLanguage: { name: string } | null;
  repositoryTopics: { nodes: { topic: { name: string } }[] };
  issues: { totalCount: number };
  createdAt: string;
  updatedAt: string;
}

export interface WireUser {
  login: string;
  name: string | null;
  bio: string | null;
  avatarUrl: string | null;
  url: string | null;
  company: string | null;
  location: string | null;
  followers: { totalCount: number };
  following: { totalCount: number };
  repositories: { totalCount: number; nodes: WireRepository[] };
}

export function toRepository(wire: WireRepository): GitHubRepositoryModel {
  return {
    id: wire.id,
    nameWithOwner: wire.nameWithOwner,
    name: wire.name,
    ownerLogin: wire.owner.login,
    description: wire.description,
    url: wire.url,
    stars: wire.stargazerCount,
    forks: wire.forkCount,
    isArchived: wire.isArchived,
    isPrivate: wire.isPrivate,
    language: wire.primaryLanguage?.name ?? null,
    topics: wire.repositoryTopics.nodes.map((n) => n.topic.name),
    openIssues: wire.issues.totalCount,
    createdAt: wire.createdAt,
    updatedAt: wire.updatedAt,
  };
}

export function toUser(wire: WireUser): GitHubUserModel {
  return {
    login: wire.login,
    name: wire.name,
    bio: wire.bio,
    avatarUrl: wire.avatarUrl,
    url: wire.url,
    company: wire.company,
    location: wire.location,
    followers: wire.followers.totalCount,
    following: wire.following.totalCount,
    repositoryCount: wire.repositories.totalCount,
    topRepositories: wire.repositories.nodes.map(toRepository),
  };
}
