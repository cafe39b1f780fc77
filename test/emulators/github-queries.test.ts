import { graphql, GraphqlResponseError } from '@octokit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_SEED } from '../../emulators/github/fixtures/seed.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';

/** What a rejected @octokit/graphql call carries: GitHub's `data` and `errors`. */
async function failure(promise: Promise<unknown>): Promise<{ data: unknown; errors: unknown }> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GraphqlResponseError)) throw new Error(`expected a GraphQL error response, got ${String(error)}`);
  return { data: error.data, errors: error.errors };
}

const seededRepository = (nameWithOwner: string) => {
  const repository = GITHUB_SEED.repositories.find((candidate) => `${candidate.owner}/${candidate.name}` === nameWithOwner);
  if (!repository) throw new Error(`${nameWithOwner} is not seeded`);
  return repository;
};

describe('GitHub emulator: queries through @octokit/graphql', () => {
  let emulator: GitHubEmulator;
  let gql: typeof graphql;

  beforeAll(async () => {
    emulator = await startGitHubEmulator();
    gql = graphql.defaults({ baseUrl: emulator.url, headers: { authorization: `token ${emulator.token}` } });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('answers a user with their public repositories, most starred first', async () => {
    const result = await gql<{ user: { repositories: { nodes: { name: string }[] } } }>(
      `query User($login: String!) {
        user(login: $login) {
          id login name bio company location websiteUrl avatarUrl url createdAt
          followers { totalCount }
          following { totalCount }
          starredRepositories { totalCount }
          repositories(first: 10, orderBy: { field: STARGAZERS, direction: DESC }, ownerAffiliations: OWNER, privacy: PUBLIC) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage }
            nodes { name nameWithOwner stargazerCount forkCount isPrivate isFork owner { login } primaryLanguage { name color } }
          }
        }
      }`,
      { login: 'dsokolov' },
    );
    const seeded = GITHUB_SEED.users.find((user) => user.login === 'dsokolov')!;
    const followers = GITHUB_SEED.users.filter((user) => user.follows.includes('dsokolov')).length + seeded.externalFollowers;
    const expectedRepositories = GITHUB_SEED.repositories
      .filter((repository) => repository.owner === 'dsokolov' && !repository.isPrivate)
      .sort((a, b) => b.stars - a.stars);

    expect(result.user).toMatchObject({
      id: expect.stringMatching(/^U_[A-Za-z0-9_-]+$/),
      login: 'dsokolov',
      name: 'Dmitri Sokolov',
      bio: seeded.bio,
      company: seeded.company,
      location: 'Berlin, Germany',
      avatarUrl: `https://avatars.githubusercontent.com/u/${seeded.databaseId}?v=4`,
      url: 'https://github.com/dsokolov',
      createdAt: seeded.createdAt,
      followers: { totalCount: followers },
      following: { totalCount: seeded.follows.length + seeded.externalFollowing },
      repositories: { totalCount: expectedRepositories.length, pageInfo: { hasNextPage: false, hasPreviousPage: false } },
    });
    expect(result.user.repositories.nodes.map((node: { name: string }) => node.name)).toEqual(expectedRepositories.map((repository) => repository.name));
    expect(result.user.repositories.nodes[0]).toEqual({
      name: 'fastjson-rs',
      nameWithOwner: 'dsokolov/fastjson-rs',
      stargazerCount: 3214,
      forkCount: 176,
      isPrivate: false,
      isFork: false,
      owner: { login: 'dsokolov' },
      primaryLanguage: { name: 'Rust', color: '#dea584' },
    });
  });

  it("lists the viewer's private repositories and forks only when asked", async () => {
    const result = await gql<{ viewer: unknown }>(`{
      viewer {
        login
        all: repositories(first: 20) { totalCount }
        public: repositories(first: 20, privacy: PUBLIC) { totalCount }
        forks: repositories(first: 20, isFork: true) { nodes { name isFork } }
        withOrganizations: repositories(first: 50, ownerAffiliations: [OWNER, ORGANIZATION_MEMBER]) { totalCount }
      }
    }`);
    const own = GITHUB_SEED.repositories.filter((repository) => repository.owner === GITHUB_SEED.viewerLogin);
    const organizationRepositories = GITHUB_SEED.repositories.filter((repository) => repository.owner === 'open-ledger');
    expect(result.viewer).toEqual({
      login: GITHUB_SEED.viewerLogin,
      all: { totalCount: own.length },
      public: { totalCount: own.filter((repository) => !repository.isPrivate).length },
      forks: { nodes: [{ name: 'apollo-server', isFork: true }] },
      withOrganizations: { totalCount: own.length + organizationRepositories.length },
    });
  });

  it('answers a repository with its issues, topics, languages and stargazers', async () => {
    const result = await gql<{ repository: { open: { totalCount: number; nodes: unknown[] } } }>(
      `query Repository($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          id name nameWithOwner description url homepageUrl isArchived createdAt updatedAt pushedAt viewerHasStarred
          owner { __typename login }
          repositoryTopics(first: 10) { totalCount nodes { topic { name } } }
          languages(first: 5) { totalSize edges { size node { name } } }
          stargazers(first: 10) { totalCount nodes { login } }
          open: issues(states: OPEN, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {
            totalCount
            nodes { id number title state createdAt url author { login } }
          }
          all: issues { totalCount }
        }
      }`,
      { owner: 'dsokolov', name: 'fastjson-rs' },
    );
    const seeded = seededRepository('dsokolov/fastjson-rs');
    const open = seeded.issues.filter((issue) => issue.state === 'OPEN').sort((a, b) => b.createdAt.localeCompare(a.createdAt));

    expect(result.repository).toMatchObject({
      id: expect.stringMatching(/^R_/),
      nameWithOwner: 'dsokolov/fastjson-rs',
      description: seeded.description,
      url: 'https://github.com/dsokolov/fastjson-rs',
      homepageUrl: seeded.homepageUrl,
      isArchived: false,
      createdAt: seeded.createdAt,
      pushedAt: seeded.pushedAt,
      viewerHasStarred: seeded.starredBy.includes(GITHUB_SEED.viewerLogin),
      owner: { __typename: 'User', login: 'dsokolov' },
      repositoryTopics: { totalCount: seeded.topics.length, nodes: seeded.topics.map((name) => ({ topic: { name } })) },
      languages: {
        totalSize: seeded.languages.reduce((total, { size }) => total + size, 0),
        edges: seeded.languages.map(({ name, size }) => ({ size, node: { name } })),
      },
      stargazers: { totalCount: seeded.stars, nodes: seeded.starredBy.map((login) => ({ login })) },
      all: { totalCount: seeded.issues.length },
    });
    expect(result.repository.open.totalCount).toBe(open.length);
    expect(result.repository.open.nodes).toEqual(
      open.map((issue) => ({
        id: expect.stringMatching(/^I_/),
        number: issue.number,
        title: issue.title,
        state: 'OPEN',
        createdAt: issue.createdAt,
        url: `https://github.com/dsokolov/fastjson-rs/issues/${issue.number}`,
        author: { login: issue.author },
      })),
    );
  });

  it('answers 25 aliased users in one request, as a subgraph batches them', async () => {
    const logins = Array.from({ length: 25 }, (_, i) => GITHUB_SEED.users[i % GITHUB_SEED.users.length]!.login);
    const variables = Object.fromEntries(logins.map((login, i) => [`l${i}`, login]));
    const query = `query Users(${logins.map((_, i) => `$l${i}: String!`).join(', ')}) {
      ${logins.map((_, i) => `u${i}: user(login: $l${i}) { ...UserFields }`).join('\n')}
    }
    fragment UserFields on User {
      login name
      followers { totalCount }
      repositories(first: 20, orderBy: { field: STARGAZERS, direction: DESC }, ownerAffiliations: OWNER, privacy: PUBLIC) {
        totalCount
        nodes { nameWithOwner stargazerCount repositoryTopics(first: 10) { nodes { topic { name } } } issues(states: OPEN) { totalCount } }
      }
    }`;
    const before = emulator.requests.count('POST /graphql');

    const result = await gql<Record<string, { login: string; name: string; repositories: { totalCount: number; nodes: { stargazerCount: number }[] } }>>(
      query,
      variables,
    );

    expect(emulator.requests.count('POST /graphql') - before).toBe(1);
    expect(Object.keys(result)).toHaveLength(25);
    logins.forEach((login, i) => {
      const user = result[`u${i}`]!;
      const owned = GITHUB_SEED.repositories.filter((repository) => repository.owner === login && !repository.isPrivate);
      expect(user.login).toBe(login);
      expect(user.repositories.totalCount).toBe(owned.length);
      const stars = user.repositories.nodes.map((node) => node.stargazerCount);
      expect(stars).toEqual([...stars].sort((a, b) => b - a));
    });
  });

  it("answers an unknown login with null and GitHub's NOT_FOUND error", async () => {
    const { data, errors } = await failure(gql(`query { user(login: "no-such-person-here") { login } }`));

    expect(data).toEqual({ user: null });
    expect(errors).toEqual([
      {
        type: 'NOT_FOUND',
        path: ['user'],
        locations: [{ line: 1, column: 9 }],
        message: "Could not resolve to a User with the login of 'no-such-person-here'.",
      },
    ]);
  });

  it('keeps the other aliases when one login is unknown, with the alias in the path', async () => {
    const { data, errors } = await failure(gql(`{ a: user(login: "farahh") { login } b: user(login: "ghost-user") { login } }`));

    expect(data).toEqual({ a: { login: 'farahh' }, b: null });
    expect(errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['b'] })]);
  });

  it('rejects an undefined field before running anything, as GitHub words it', async () => {
    const response = await fetch(`${emulator.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Profile {\n  viewer {\n    login\n    favouriteColour\n  }\n}' }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: "Field 'favouriteColour' doesn't exist on type 'User'",
          locations: [{ line: 4, column: 5 }],
          path: ['query Profile', 'viewer', 'favouriteColour'],
          extensions: { code: 'undefinedField', typeName: 'User', fieldName: 'favouriteColour' },
        },
      ],
    });
  });

  it('rejects other invalid documents the way graphql-ruby does', async () => {
    const missingArgument = await failure(gql('{ user { login } }'));
    expect(missingArgument.data).toBeUndefined();
    expect(missingArgument.errors).toEqual([
      {
        message: "Field 'user' is missing required arguments: login",
        locations: [{ line: 1, column: 3 }],
        path: ['query', 'user'],
        extensions: { code: 'missingRequiredArguments', className: 'Field', name: 'user', arguments: 'login' },
      },
    ]);

    const unknownArgument = await failure(gql('{ viewer { repositories(first: 1, sort: NAME) { totalCount } } }'));
    expect(unknownArgument.errors).toEqual([
      expect.objectContaining({
        message: "Field 'repositories' doesn't accept argument 'sort'",
        path: ['query', 'viewer', 'repositories', 'sort'],
        extensions: { code: 'argumentNotAccepted', name: 'repositories', typeName: 'Field', argumentName: 'sort' },
      }),
    ]);

    const noSelection = await failure(gql('{ viewer }'));
    expect(noSelection.errors).toEqual([
      expect.objectContaining({
        message: "Field must have selections (field 'viewer' returns User but has no selections. Did you mean 'viewer { ... }'?)",
        extensions: { code: 'selectionMismatch', nodeName: "field 'viewer'", typeName: 'User' },
      }),
    ]);

    const badLiteral = await failure(gql('{ user(login: 42) { login } }'));
    expect(badLiteral.errors).toEqual([
      expect.objectContaining({
        message: "Argument 'login' on Field 'user' has an invalid value (42). Expected type 'String!'.",
        path: ['query', 'user', 'login'],
        extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: 'login' },
      }),
    ]);

    const syntax = await failure(gql('{ viewer { login } } }'));
    expect(syntax.errors).toEqual([{ message: 'Parse error on "}" (RCURLY) at [1, 22]', locations: [{ line: 1, column: 22 }] }]);

    const missingVariable = await failure(gql('query ($login: String!) { user(login: $login) { login } }'));
    expect(missingVariable.errors).toEqual([
      expect.objectContaining({
        message: 'Variable $login of type String! was provided invalid value',
        extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
      }),
    ]);
  });

  it('requires page sizes of at most 100 on connections, as GitHub does', async () => {
    const missing = await failure(gql('{ viewer { login repositories { nodes { name } } } }'));
    expect(missing.errors).toEqual([
      {
        type: 'MISSING_PAGINATION_BOUNDARIES',
        path: ['viewer', 'repositories'],
        locations: [{ line: 1, column: 18 }],
        message: 'You must provide a `first` or `last` value to properly paginate the `repositories` connection.',
      },
    ]);

    const excessive = await failure(gql('{ repository(owner: "kmensah", name: "talks") { issues(first: 101) { nodes { title } } } }'));
    expect(excessive.data).toEqual({ repository: null });
    expect(excessive.errors).toEqual([
      expect.objectContaining({
        type: 'EXCESSIVE_PAGINATION',
        path: ['repository', 'issues'],
        message: 'Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.',
      }),
    ]);

    // Counting needs no page size.
    await expect(gql('{ viewer { repositories { totalCount } } }')).resolves.toEqual({ viewer: { repositories: { totalCount: 7 } } });
  });

  it('pages through a connection with the cursors it hands out', async () => {
    interface RepositoryPage {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: { name: string } }[];
    }
    const page = (after: string | null) =>
      gql<{ organization: { repositories: RepositoryPage } }>(
        `query Page($after: String) {
          organization(login: "open-ledger") {
            repositories(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) {
              pageInfo { hasNextPage endCursor }
              edges { cursor node { name } }
            }
          }
        }`,
        { after },
      );
    const names: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const repositories: RepositoryPage = (await page(after)).organization.repositories;
      names.push(...repositories.edges.map((edge) => edge.node.name));
      expect(repositories.pageInfo.endCursor).toBe(repositories.edges.at(-1)?.cursor ?? null);
      if (!repositories.pageInfo.hasNextPage) break;
      after = repositories.pageInfo.endCursor;
    }
    const seeded = GITHUB_SEED.repositories.filter((repository) => repository.owner === 'open-ledger').map((repository) => repository.name);
    // The viewer is a member of open-ledger, so its private repository is listed too.
    expect(names).toEqual([...seeded].sort());

    const invalid = await failure(page('not-a-cursor'));
    expect(invalid.errors).toEqual([expect.objectContaining({ type: 'INVALID_CURSOR_ARGUMENTS', message: '`not-a-cursor` does not appear to be a valid cursor.' })]);
  });

  it('searches repositories by words and qualifiers', async () => {
    const search = (query: string) =>
      gql<{ search: { repositoryCount: number; nodes: { nameWithOwner: string; stargazerCount: number }[] } }>(
        // @octokit/graphql reserves the variable name `query`.
        `query Search($q: String!) {
          search(query: $q, type: REPOSITORY, first: 10) {
            repositoryCount
            nodes { ... on Repository { nameWithOwner stargazerCount } }
          }
        }`,
        { q: query },
      );

    const graphqlRepositories = await search('graphql');
    expect(graphqlRepositories.search.nodes.map((node) => node.nameWithOwner)).toEqual([
      'adaokafor/graphql-batchloader',
      'open-ledger/ledger-graphql',
      'adaokafor/schema-lint',
    ]);
    expect(graphqlRepositories.search.repositoryCount).toBe(3);

    const byUser = await search('user:priyaraman language:go');
    expect(byUser.search.nodes.map((node) => node.nameWithOwner)).toEqual(['priyaraman/kube-cost-watch', 'priyaraman/grpc-gateway-examples']);

    const byTopic = await search('topic:climate stars:>300');
    expect(byTopic.search.nodes.map((node) => node.nameWithOwner)).toEqual(['tidewater-labs/tide-forecast', 'tidewater-labs/ocean-tiles']);

    expect((await search('no-repository-mentions-this')).search).toEqual({ repositoryCount: 0, nodes: [] });
  });

  it('searches users and issues too', async () => {
    const result = await gql<{ users: unknown; issues: unknown }>(`{
      users: search(query: "location:oslo", type: USER, first: 5) { userCount nodes { ... on User { login } } }
      issues: search(query: "repo:dsokolov/fastjson-rs is:open", type: ISSUE, first: 5) { issueCount nodes { ... on Issue { number } } }
    }`);
    expect(result.users).toEqual({ userCount: 1, nodes: [{ login: 'ilarsen' }] });
    expect(result.issues).toEqual({ issueCount: 2, nodes: [{ number: 305 }, { number: 301 }] });
  });

  it('resolves the node ids it hands out, and nulls the ones it does not know', async () => {
    const { repository } = await gql<{ repository: { id: string; owner: { id: string } } }>('{ repository(owner: "meilinchen", name: "tiny-diffusion") { id owner { id } } }');

    const { data, errors } = await failure(
      gql(
        `query Nodes($ids: [ID!]!, $id: ID!) {
          node(id: $id) { __typename ... on Repository { nameWithOwner } }
          nodes(ids: $ids) { __typename ... on User { login } ... on Repository { name } }
        }`,
        { id: repository.id, ids: [repository.owner.id, 'R_kgDOAAAAAQ', repository.id] },
      ),
    );

    expect(data).toEqual({
      node: { __typename: 'Repository', nameWithOwner: 'meilinchen/tiny-diffusion' },
      nodes: [{ __typename: 'User', login: 'meilinchen' }, null, { __typename: 'Repository', name: 'tiny-diffusion' }],
    });
    expect(errors).toEqual([
      expect.objectContaining({ type: 'NOT_FOUND', path: ['nodes', 1], message: "Could not resolve to a node with the global id of 'R_kgDOAAAAAQ'" }),
    ]);
  });

  it('answers organizations and repository owners', async () => {
    const result = await gql<{ organization: unknown; owner: unknown; nobody: unknown }>(`{
      organization(login: "tidewater-labs") {
        login name description viewerIsAMember
        membersWithRole(first: 10) { totalCount nodes { login } }
        repositories(first: 10, orderBy: { field: STARGAZERS, direction: DESC }) { totalCount nodes { name isArchived } }
      }
      owner: repositoryOwner(login: "open-ledger") { __typename login }
      nobody: repositoryOwner(login: "no-such-owner") { login }
    }`);
    const seeded = GITHUB_SEED.organizations.find((organization) => organization.login === 'tidewater-labs')!;
    expect(result.organization).toEqual({
      login: 'tidewater-labs',
      name: seeded.name,
      description: seeded.description,
      viewerIsAMember: false,
      membersWithRole: { totalCount: seeded.members.length, nodes: seeded.members.map((login) => ({ login })) },
      repositories: {
        totalCount: 3,
        nodes: [
          { name: 'tide-forecast', isArchived: false },
          { name: 'ocean-tiles', isArchived: false },
          { name: 'carbon-api', isArchived: true },
        ],
      },
    });
    expect(result.owner).toEqual({ __typename: 'Organization', login: 'open-ledger' });
    expect(result.nobody).toBeNull();
  });

  it('answers fields it does not model with empty, schema-valid values', async () => {
    const result = await gql<{ viewer: unknown }>('{ viewer { isHireable gists(first: 5) { totalCount nodes { id } } status { message } } }');
    expect(result.viewer).toEqual({ isHireable: false, gists: { totalCount: 0, nodes: [] }, status: null });
  });
});
