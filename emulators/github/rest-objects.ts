import { avatarUrl } from './avatars.ts';
import type { IssueRecord, OrganizationRecord, OwnerRecord, RepositoryRecord } from './records.ts';
import type { Store } from './store.ts';
import { isObject, type JsonObject, type JsonValue } from './webhook-examples.ts';

/**
 * The REST representations webhook payloads embed (repository, user, organization, issue), made by
 * re-filling a real payload's object: same keys in the same order, our values where we model them,
 * and every URL rewritten from the example's owner and repository to ours. Fields we do not model keep
 * the example's neutral values (`has_wiki: true`, `license: null`…).
 */

const API = 'https://api.github.com';
const WEB = 'https://github.com';

type Replacements = readonly (readonly [from: string, to: string])[];

export function restOwner(owner: OwnerRecord, template: JsonValue | undefined): JsonObject {
  const templateLogin = stringField(template, 'login');
  return refill(template, [
    [`/users/${templateLogin}`, `/users/${owner.login}`],
    [`/orgs/${templateLogin}`, `/orgs/${owner.login}`],
    [`${WEB}/${templateLogin}`, `${WEB}/${owner.login}`],
  ], {
    login: owner.login,
    id: owner.databaseId,
    node_id: owner.id,
    avatar_url: avatarUrl(owner.databaseId),
    url: `${API}/users/${owner.login}`,
    html_url: owner.url,
    type: owner.__typename,
    site_admin: false,
  });
}

export function restOrganization(organization: OrganizationRecord, template: JsonValue | undefined): JsonObject {
  const templateLogin = stringField(template, 'login');
  return refill(template, [[`/orgs/${templateLogin}`, `/orgs/${organization.login}`]], {
    login: organization.login,
    id: organization.databaseId,
    node_id: organization.id,
    avatar_url: avatarUrl(organization.databaseId),
    description: organization.description,
  });
}

export function restRepository(repository: RepositoryRecord, store: Store, template: JsonValue | undefined): JsonObject {
  const owner = store.owner(repository.ownerLogin);
  const openIssues = repository.issues.filter((issue) => issue.state === 'OPEN').length;
  const ownerTemplate = isObject(template) ? template['owner'] : undefined;
  return refill(template, [[stringField(template, 'full_name'), repository.nameWithOwner]], {
    id: repository.databaseId,
    node_id: repository.id,
    name: repository.name,
    full_name: repository.nameWithOwner,
    private: repository.isPrivate,
    ...(owner ? { owner: restOwner(owner, ownerTemplate) } : {}),
    html_url: repository.url,
    description: repository.description,
    fork: repository.isFork,
    url: `${API}/repos/${repository.nameWithOwner}`,
    created_at: timestamp(repository.createdAt, template, 'created_at'),
    updated_at: timestamp(repository.updatedAt, template, 'updated_at'),
    pushed_at: timestamp(repository.pushedAt, template, 'pushed_at'),
    homepage: repository.homepageUrl,
    size: Math.round(repository.languages.reduce((total, { size }) => total + size, 0) / 1024),
    stargazers_count: repository.stargazerCount,
    watchers_count: repository.stargazerCount,
    watchers: repository.stargazerCount,
    stargazers: repository.stargazerCount,
    language: repository.languages[0]?.language.name ?? null,
    forks_count: repository.forkCount,
    forks: repository.forkCount,
    archived: repository.isArchived,
    open_issues_count: openIssues,
    open_issues: openIssues,
    default_branch: 'main',
    topics: [...repository.topics],
    visibility: repository.visibility.toLowerCase(),
  });
}

export function restIssue(issue: IssueRecord, repository: RepositoryRecord, store: Store, template: JsonValue | undefined): JsonObject {
  const apiUrl = `${API}/repos/${repository.nameWithOwner}/issues/${issue.number}`;
  const author = store.user(issue.authorLogin);
  const userTemplate = isObject(template) ? template['user'] : undefined;
  const reactionsTemplate = isObject(template) ? template['reactions'] : undefined;
  return refill(template, [[stringField(template, 'repository_url').replace(`${API}/repos/`, ''), repository.nameWithOwner]], {
    url: apiUrl,
    repository_url: `${API}/repos/${repository.nameWithOwner}`,
    labels_url: `${apiUrl}/labels{/name}`,
    comments_url: `${apiUrl}/comments`,
    events_url: `${apiUrl}/events`,
    timeline_url: `${apiUrl}/timeline`,
    html_url: issue.url,
    id: issue.databaseId,
    node_id: issue.id,
    number: issue.number,
    title: issue.title,
    ...(author ? { user: restOwner(author, userTemplate) } : {}),
    labels: [],
    state: issue.state.toLowerCase(),
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(issue, repository, store),
    active_lock_reason: null,
    body: issue.body,
    reactions: noReactions(reactionsTemplate, `${apiUrl}/reactions`),
    state_reason: null,
  });
}

/** A new issue's reaction summary: the template's counters, all zero. */
function noReactions(template: JsonValue | undefined, url: string): JsonObject {
  if (!isObject(template)) return { url, total_count: 0 };
  return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, key === 'url' ? url : typeof value === 'number' ? 0 : value]));
}

/** How GitHub labels an issue author's relation to the repository. */
export function authorAssociation(issue: IssueRecord, repository: RepositoryRecord, store: Store): 'OWNER' | 'MEMBER' | 'NONE' {
  if (issue.authorLogin === repository.ownerLogin) return 'OWNER';
  const organization = store.organization(repository.ownerLogin);
  return organization?.members.includes(issue.authorLogin) ? 'MEMBER' : 'NONE';
}

/**
 * `template`'s keys in its order: `values[key]` where given, otherwise the template's value with
 * `replacements` applied to every string in it. Keys of `values` the template lacks are left out, so
 * the result never has a field the real payload does not.
 */
function refill(template: JsonValue | undefined, replacements: Replacements, values: Record<string, JsonValue>): JsonObject {
  const result: JsonObject = {};
  if (!isObject(template)) return { ...values };
  for (const [key, value] of Object.entries(template)) {
    result[key] = key in values ? (values[key] as JsonValue) : rewrite(value, replacements);
  }
  return result;
}

function rewrite(value: JsonValue, replacements: Replacements): JsonValue {
  if (typeof value === 'string') {
    return replacements.reduce((text, [from, to]) => (from === '' ? text : text.split(from).join(to)), value);
  }
  if (Array.isArray(value)) return value.map((item) => rewrite(item, replacements));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item, replacements)]));
  return value;
}

function stringField(template: JsonValue | undefined, key: string): string {
  const value = isObject(template) ? template[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Some payloads (push) date repositories in Unix seconds, most in ISO 8601: follow the template. */
function timestamp(iso: string, template: JsonValue | undefined, key: string): string | number {
  return isObject(template) && typeof template[key] === 'number' ? Math.floor(Date.parse(iso) / 1000) : iso;
}
