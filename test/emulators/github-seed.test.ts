import { graphql } from '@octokit/graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { GITHUB_SEED } from '../../emulators/github/fixtures/seed.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';

const seededLogins = new Set([...GITHUB_SEED.users.map((user) => user.login), ...GITHUB_SEED.organizations.map((organization) => organization.login)]);

describe('GitHub emulator: seed', () => {
  const emulators: GitHubEmulator[] = [];
  const start = async (options: Parameters<typeof startGitHubEmulator>[0] = {}) => {
    const emulator = await startGitHubEmulator(options);
    emulators.push(emulator);
    return { emulator, gql: graphql.defaults({ baseUrl: emulator.url, headers: { authorization: `bearer ${emulator.token}` } }) };
  };

  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });

  it('seeds exactly the shared customers that have a GitHub login, under the same names', () => {
    const customers = seedCustomers.filter((customer) => customer.githubLogin !== undefined);
    expect(customers).toHaveLength(12);
    expect(GITHUB_SEED.users.map((user) => [user.login, user.name])).toEqual(customers.map((customer) => [customer.githubLogin, customer.name]));
    expect(GITHUB_SEED.viewerLogin).toBe(customers[0]!.githubLogin);
  });

  it('gives every user 3 to 8 repositories and both organizations some, consistently', () => {
    for (const user of GITHUB_SEED.users) {
      const owned = GITHUB_SEED.repositories.filter((repository) => repository.owner === user.login);
      expect(owned.length, user.login).toBeGreaterThanOrEqual(3);
      expect(owned.length, user.login).toBeLessThanOrEqual(8);
      for (const followed of user.follows) expect(seededLogins.has(followed), `${user.login} follows ${followed}`).toBe(true);
    }
    expect(GITHUB_SEED.organizations).toHaveLength(2);
    for (const organization of GITHUB_SEED.organizations) {
      expect(GITHUB_SEED.repositories.some((repository) => repository.owner === organization.login)).toBe(true);
      for (const member of organization.members) expect(seededLogins.has(member)).toBe(true);
    }
    for (const repository of GITHUB_SEED.repositories) {
      const name = `${repository.owner}/${repository.name}`;
      expect(seededLogins.has(repository.owner), name).toBe(true);
      expect(repository.starredBy.length, name).toBeLessThanOrEqual(repository.stars);
      expect(repository.languages.length, name).toBeGreaterThan(0);
      for (const issue of repository.issues) expect(seededLogins.has(issue.author), `${name}#${issue.number}`).toBe(true);
    }
    const ids = [...GITHUB_SEED.users, ...GITHUB_SEED.organizations, ...GITHUB_SEED.repositories].map((record) => record.databaseId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers the same data, ids and cursors included, from every emulator', async () => {
    const query = `{
      viewer { id login }
      ${GITHUB_SEED.users
        .map(
          (user, i) => `u${i}: user(login: "${user.login}") {
            id avatarUrl createdAt followers { totalCount }
            repositories(first: 10, orderBy: { field: UPDATED_AT, direction: DESC }) {
              edges { cursor node { id nameWithOwner stargazerCount updatedAt issues(first: 5) { nodes { id number createdAt } } } }
            }
          }`,
        )
        .join('\n')}
    }`;
    const first = await (await start()).gql(query);
    const second = await (await start()).gql(query);
    expect(second).toEqual(first);
    expect(JSON.stringify(first)).toContain(`"avatarUrl":"https://avatars.githubusercontent.com/u/${GITHUB_SEED.users[1]!.databaseId}?v=4"`);
  });

  it('starts empty without the seed, with a stand-in viewer', async () => {
    const { gql } = await start({ seed: false, token: 'ghp_custom' });
    await expect(gql<{ viewer: { login: string } }>('{ viewer { login repositories(first: 5) { totalCount } } }')).resolves.toEqual({
      viewer: { login: 'emulator-user', repositories: { totalCount: 0 } },
    });
    await expect(gql('{ user(login: "adaokafor") { login } }')).rejects.toMatchObject({ data: { user: null } });
  });
});
