import { authenticated, publicAccess, scope, type AccessRules } from '../../kit/access/access.ts';
import { writesAsLinkedIdentity } from '../../kit/access/acting-identity.ts';

const writes = writesAsLinkedIdentity('github', (p) => p.githubLogin);

/**
 * Who may use the GitHub fields (README: Authorization). Public users and repositories are public here
 * too; search spends the most of the shared rate limit, so it needs `social:read`. Writes act as the
 * configured token's account, so they need `social:write` and a linked GitHub login, and the subgraph
 * checks that the login is that account's.
 */
export const githubAccess: AccessRules = {
  Query: {
    viewer: authenticated,
    githubUser: publicAccess,
    githubRepository: publicAccess,
    searchGitHubRepositories: scope('social:read'),
  },
  Mutation: {
    starGitHubRepository: writes,
    unstarGitHubRepository: writes,
    createGitHubIssue: writes,
  },
  Subscription: { repositoryEvents: scope('social:read') },
  // The caller's own repositories, read with their own connected account (the subgraph checks which).
  Viewer: { github: scope('social:read'), githubRepositories: scope('social:read') },
};
