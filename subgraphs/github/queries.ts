/**
 * Every GraphQL document this subgraph sends to GitHub. (Variables must not be called `query`:
 * @octokit/graphql reserves the name.) They are validated against GitHub's published
 * schema in the tests (test/github/queries.test.ts), so a typo fails `npm test`, not production.
 */

/** Repositories come with their owner in the same request, most starred first; resolvers slice to `first`. */
export const REPOSITORIES_PER_USER = 20;

export const REPOSITORY_FIELDS = /* GraphQL */ `
  fragment RepositoryFields on Repository {
    id
    nameWithOwner
    name
    owner { login }
    description
    url
    stargazerCount
    forkCount
    isArchived
    isPrivate
    primaryLanguage { name }
    repositoryTopics(first: 10) { nodes { topic { name } } }
    issues(states: OPEN) { totalCount }
    createdAt
    updatedAt
  }
`;

export const USER_FIELDS = /* GraphQL */ `
  fragment UserFields on User {
    login
    name
    bio
    avatarUrl
    url
    company
    location
    followers { totalCount }
    following { totalCount }
    repositories(first: ${REPOSITORIES_PER_USER}, orderBy: { field: STARGAZERS, direction: DESC }, ownerAffiliations: OWNER, privacy: PUBLIC) {
      totalCount
      nodes { ...RepositoryFields }
    }
  }
`;

/** N users in one request, one alias each (`u0`, `u1`, …); logins travel as variables, never spliced in. */
export function usersQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$l${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `u${i}: user(login: $l${i}) { ...UserFields }`).join('\n');
  return `query Users(${variables}) {\n${fields}\n}\n${USER_FIELDS}\n${REPOSITORY_FIELDS}`;
}

/** N repositories in one request, one alias each (`r0`, …). */
export function repositoriesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$o${i}: String!, $n${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `r${i}: repository(owner: $o${i}, name: $n${i}) { ...RepositoryFields }`).join('\n');
  return `query Repositories(${variables}) {\n${fields}\n}\n${REPOSITORY_FIELDS}`;
}

export const SEARCH_REPOSITORIES = /* GraphQL */ `
  query SearchRepositories($searchQuery: String!, $first: Int!) {
    search(query: $searchQuery, type: REPOSITORY, first: $first) {
      nodes { ... on Repository { ...RepositoryFields } }
    }
  }
  ${REPOSITORY_FIELDS}
`;

export const USER_REPOSITORIES = /* GraphQL */ `
  query UserRepositories($login: String!, $first: Int!, $field: RepositoryOrderField!, $direction: OrderDirection!) {
    user(login: $login) {
      repositories(first: $first, orderBy: { field: $field, direction: $direction }, ownerAffiliations: OWNER, privacy: PUBLIC) {
        nodes { ...RepositoryFields }
      }
    }
  }
  ${REPOSITORY_FIELDS}
`;

/** The token's own account's repositories and its organizations', private ones included (a user token only). */
export const VIEWER_REPOSITORIES = /* GraphQL */ `
  query ViewerRepositories($first: Int!) {
    viewer {
      repositories(first: $first, orderBy: { field: UPDATED_AT, direction: DESC }, ownerAffiliations: [OWNER, ORGANIZATION_MEMBER]) {
        nodes { ...RepositoryFields }
      }
    }
  }
  ${REPOSITORY_FIELDS}
`;

export const ADD_STAR = /* GraphQL */ `
  mutation AddStar($id: ID!) {
    addStar(input: { starrableId: $id }) { starrable { ... on Repository { ...RepositoryFields } } }
  }
  ${REPOSITORY_FIELDS}
`;

export const REMOVE_STAR = /* GraphQL */ `
  mutation RemoveStar($id: ID!) {
    removeStar(input: { starrableId: $id }) { starrable { ... on Repository { ...RepositoryFields } } }
  }
  ${REPOSITORY_FIELDS}
`;

export const CREATE_ISSUE = /* GraphQL */ `
  mutation CreateIssue($repositoryId: ID!, $title: String!, $body: String) {
    createIssue(input: { repositoryId: $repositoryId, title: $title, body: $body }) {
      issue { number title url state createdAt repository { nameWithOwner } }
    }
  }
`;

export const RATE_LIMIT = /* GraphQL */ `
  query RateLimit { rateLimit { limit remaining resetAt } }
`;

/** Whose token this is: the account every write acts as. */
export const VIEWER_LOGIN = /* GraphQL */ `
  query ViewerLogin { viewer { login } }
`;
