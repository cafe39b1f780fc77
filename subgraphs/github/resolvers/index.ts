import { actingAccount, requireActingAsSelf } from '../../../kit/access/acting-identity.ts';
import { ErrorCode, gatewayError } from '../../../kit/errors.ts';
import type { EventStreams } from '../../../kit/events/event-streams.ts';
import { DateTimeScalar } from '../../../kit/scalars.ts';
import { GraphQLError } from 'graphql';
import { createRepositoryEventResolvers } from '../repository-events.ts';
import { principalOf } from '../../../kit/access/principal.ts';
import { resolveViewer, viewerOf } from '../../../kit/access/viewer.ts';
import type { ProviderCache } from '../../../kit/cache/provider-cache.ts';
import type { QuotaTracker, QuotaTrackers } from '../../../kit/resilience/quota.ts';
import type { GitHubCacheKind } from '../cache-policy.ts';
import type { GitHubClient, GitHubGraphQL } from '../client.ts';
import type { GithubContext } from '../context.ts';
import { isUnauthorized, toGraphQLError } from '../errors.ts';
import { connectionRequired, type TokenVault } from '../../../kit/connections/vault.ts';
import { providerCall } from '../../../kit/resilience/provider-call.ts';
import type { GitHubRepositoryModel } from '../models.ts';
import { REPOSITORIES_PER_USER, VIEWER_LOGIN } from '../queries.ts';
import { createIssue, retrieveRepositories, searchRepositories, setStarred } from '../repositories.ts';
import { listUserRepositories, listViewerRepositories, type RepositoryOrderField } from '../users.ts';
import type { GitHubRepositoryOrder, Resolvers } from '../__generated__/resolvers.ts';

export interface GitHubResolverDeps {
  streams: EventStreams;
  client: GitHubClient;
  /** The app token's window (GITHUB_TOKEN's account): shared reads, and writes made as that account. */
  quota: QuotaTracker;
  /** Each connected user's own window, by GitHub user id: their calls are tracked and refused there only. */
  userQuotas: QuotaTrackers;
  cache: ProviderCache<GitHubCacheKind>;
  /** Users' connected GitHub accounts (kit/connections); absent: writes act as GITHUB_TOKEN's account only. */
  vault?: TokenVault | undefined;
}

const MAX_LIST = 50;
const GITHUB = { name: 'github', displayName: 'GitHub' };
const ORDER_FIELDS: Record<GitHubRepositoryOrder, RepositoryOrderField> = { STARS: 'STARGAZERS', UPDATED: 'UPDATED_AT', CREATED: 'CREATED_AT', NAME: 'NAME' };

function listSize(first: number | null | undefined): number {
  const size = first ?? 10;
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIST) throw gatewayError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_LIST}`, { argument: 'first' });
  return size;
}

function notFound(what: string) {
  return gatewayError(ErrorCode.NOT_FOUND, `${what} not found`, { provider: 'github' });
}

function splitNameWithOwner(nameWithOwner: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(nameWithOwner)) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'nameWithOwner must look like owner/name', { argument: 'nameWithOwner' });
  return nameWithOwner;
}

export function createGitHubResolvers({ streams, client, quota, userQuotas, cache, vault }: GitHubResolverDeps): Resolvers {
  const mapped = providerCall(toGraphQLError);
  const call = <T>(context: GithubContext, run: () => Promise<T>) => mapped(context.logger, run);
  const cached = <T>(kind: GitHubCacheKind, id: string, fetch: () => Promise<T>) => cache.readThrough({ kind, id }, fetch);
  const requireRepository = async (context: GithubContext, nameWithOwner: string): Promise<GitHubRepositoryModel> => {
    const repository = await context.loaders.repository.load(splitNameWithOwner(nameWithOwner));
    if (!repository) throw notFound('Repository');
    return repository;
  };
  const account = actingAccount(async () => (await client<{ viewer: { login: string } }>(VIEWER_LOGIN)).viewer.login);
  /** Writes act as the token's account: only that account's own principal (or an admin) may make them. */
  const requireSelf = (context: GithubContext) => call(context, () => requireActingAsSelf(context.caller, (p) => p.githubLogin, account));
  /**
   * A call as the caller: with their connected GitHub account when they have one (their own token, so it can
   * only ever act as them; refreshed before expiry and once after a 401), else with GITHUB_TOKEN, which only
   * its own account's principal (or an admin) may use; anyone else gets `withoutConnection()`. `run` gets the
   * tracker of the identity it acts as: GitHub counts a user's calls against that user's window, not the app's.
   */
  const asCaller = async <T>(context: GithubContext, run: (as: GitHubGraphQL, asQuota: QuotaTracker) => Promise<T>, withoutConnection?: () => Error): Promise<T> => {
    const subject = principalOf(context.caller)?.subject;
    if (vault && subject) {
      const connected = await call(context, () =>
        vault.withToken(
          subject,
          (token) => {
            const userQuota = userQuotas.of(token.providerUserId);
            return run(client.forUser(token.accessToken, userQuota), userQuota);
          },
          isUnauthorized,
        ),
      );
      if (connected) return connected.value;
    }
    try {
      await requireSelf(context);
    } catch (error) {
      if (withoutConnection && error instanceof GraphQLError && error.extensions['code'] === ErrorCode.FORBIDDEN) throw withoutConnection();
      throw error;
    }
    return call(context, () => run(client, quota));
  };
  /**
   * The repository a write acts on, as the identity making the write sees it (asCaller: the caller's own
   * connection, or GITHUB_TOKEN for its own account's principal), looked up directly and never cached: it
   * may be private to that identity, and the shared lookup knows public repositories only.
   */
  const repositoryAs = async (as: GitHubGraphQL, asQuota: QuotaTracker, nameWithOwner: string): Promise<GitHubRepositoryModel> => {
    const [repository] = await retrieveRepositories(as, asQuota, [nameWithOwner], { publicOnly: false });
    if (repository instanceof Error) throw repository;
    if (!repository) throw notFound('Repository');
    return repository;
  };
  /** A star changes the repository's count and its owner's repository list: both are evicted. */
  const evictRepository = (repository: GitHubRepositoryModel) =>
    cache.delete([
      { kind: 'repository', id: repository.nameWithOwner.toLowerCase() },
      { kind: 'user', id: repository.ownerLogin.toLowerCase() },
    ]);

  return {
    DateTime: DateTimeScalar,
    ...createRepositoryEventResolvers(streams),
    Query: {
      viewer: (_root, _args, context) => viewerOf(context.caller),
      async githubUser(_root, { login }, context) {
        const user = await context.loaders.user.load(login);
        if (!user) throw notFound('GitHub user');
        return user;
      },
      async githubRepository(_root, { owner, name }, context) {
        return requireRepository(context, `${owner}/${name}`);
      },
      searchGitHubRepositories(_root, { query, first }, context) {
        const size = listSize(first);
        return call(context, () => cached('search', `${size}:${query}`, () => searchRepositories(client, quota, query, size)));
      },
    },
    Mutation: {
      async starGitHubRepository(_root, { nameWithOwner }, context) {
        const name = splitNameWithOwner(nameWithOwner);
        const starred = await asCaller(context, async (as, asQuota) => setStarred(as, asQuota, (await repositoryAs(as, asQuota, name)).id, true));
        await evictRepository(starred);
        return starred;
      },
      async unstarGitHubRepository(_root, { nameWithOwner }, context) {
        const name = splitNameWithOwner(nameWithOwner);
        const unstarred = await asCaller(context, async (as, asQuota) => setStarred(as, asQuota, (await repositoryAs(as, asQuota, name)).id, false));
        await evictRepository(unstarred);
        return unstarred;
      },
      async createGitHubIssue(_root, { input }, context) {
        if (input.title.trim().length === 0) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'title must not be empty', { argument: 'title' });
        const name = splitNameWithOwner(input.nameWithOwner);
        const issue = await asCaller(context, async (as, asQuota) => {
          const repository = await repositoryAs(as, asQuota, name);
          return { ...(await createIssue(as, asQuota, { repositoryId: repository.id, title: input.title, body: input.body ?? null })), repository };
        });
        await evictRepository(issue.repository);
        return issue;
      },
    },
    GitHubUser: {
      async __resolveReference(reference, context) {
        const { login } = reference as { login: string };
        const user = await context.loaders.user.load(login);
        // An unknown linked login is an error at that entity's path, not a silent null.
        if (!user) throw notFound('GitHub user');
        return user;
      },
      repositories(user, { first, orderBy }, context) {
        const size = listSize(first);
        const order = orderBy ?? 'STARS';
        if (order === 'STARS' && size <= REPOSITORIES_PER_USER) return user.topRepositories.slice(0, size);
        return call(context, () =>
          cached('userRepositories', `${user.login.toLowerCase()}:${order}:${size}`, () =>
            listUserRepositories(client, quota, { login: user.login, first: size, field: ORDER_FIELDS[order] }),
          ),
        );
      },
    },
    GitHubRepository: {
      async __resolveReference(reference, context) {
        const { nameWithOwner } = reference as { nameWithOwner: string };
        const repository = await context.loaders.repository.load(nameWithOwner);
        if (!repository) throw notFound('Repository');
        return repository;
      },
      owner: (repository, _args, context) => context.loaders.user.load(repository.ownerLogin),
    },
    Viewer: {
      __resolveReference: (reference, context) => resolveViewer(reference, context.caller),
      github: (_viewer, _args, context) => {
        const login = principalOf(context.caller)?.githubLogin;
        return login ? context.loaders.user.load(login) : null;
      },
      // Private data of one user: never in the shared provider cache (the response cache is per principal).
      githubRepositories: (_viewer, { first }, context) =>
        asCaller(context, (as, asQuota) => listViewerRepositories(as, asQuota, listSize(first)), () => connectionRequired(GITHUB, 'missing')),
    },
    GitHubIssue: {
      repository: (issue, _args, context) => issue.repository ?? requireRepository(context, issue.nameWithOwner),
    },
  };
}
