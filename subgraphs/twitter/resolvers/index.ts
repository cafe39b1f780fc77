import { actingAccount, requireActingAsSelf } from '../../../kit/access/acting-identity.ts';
import { ErrorCode, gatewayError } from '../../../kit/errors.ts';
import type { EventStreams } from '../../../kit/events/event-streams.ts';
import { createTweetEventResolvers } from '../tweet-events.ts';
import { principalOf } from '../../../kit/access/principal.ts';
import { resolveViewer, viewerOf } from '../../../kit/access/viewer.ts';
import type { GenerationalLists } from '../../../kit/cache/generational-lists.ts';
import type { ProviderCache } from '../../../kit/cache/provider-cache.ts';
import type { CallGuard } from '../../../kit/resilience/call-guard.ts';
import type { QuotaTracker, QuotaTrackers } from '../../../kit/resilience/quota.ts';
import { DateTimeScalar } from '../../../kit/scalars.ts';
import type { TwitterCacheKind } from '../cache-policy.ts';
import type { TwitterClients } from '../client.ts';
import type { TwitterContext } from '../context.ts';
import { edgeCursor, pageCursor, positionAfter } from '../cursor.ts';
import { asXAccount, toGraphQLError } from '../errors.ts';
import { providerCall } from '../../../kit/resilience/provider-call.ts';
import { deleteTweet, postTweet, searchRecent } from '../tweets.ts';
import { isXUsername } from '../users.ts';
import type { TweetPageModel } from '../models.ts';
import type { Resolvers } from '../__generated__/resolvers.ts';
import type { TokenVault } from '../../../kit/connections/vault.ts';
import { GraphQLError } from 'graphql';
import type { TwitterApi } from 'twitter-api-v2';

export interface TwitterResolverDeps {
  streams: EventStreams;
  clients: TwitterClients;
  guard: CallGuard;
  /** Each connected user's own windows at X, by X user id. */
  userQuotas: QuotaTrackers;
  /** The guard for a connected user's call, given their tracker. */
  userGuard: (userQuota: QuotaTracker) => CallGuard;
  cache: ProviderCache<TwitterCacheKind>;
  timelines: GenerationalLists;
  /** Users' connected X accounts (kit/connections); absent: posting acts as TWITTER_USER_ACCESS_TOKEN's account only. */
  vault?: TokenVault | undefined;
}

/** X's bounds: timelines take 5 to 100 posts a page, recent search 10 to 100. */
function boundedPage(first: number | null | undefined, min: number): number {
  const size = first ?? 10;
  if (!Number.isInteger(size) || size < min || size > 100) throw gatewayError(ErrorCode.BAD_USER_INPUT, `first must be from ${min} to 100`, { argument: 'first' });
  return size;
}

const notFound = (what: string) => gatewayError(ErrorCode.NOT_FOUND, `${what} not found`, { provider: 'twitter' });

/** asXAccount's answer to X's 401 for a user token: expired or revoked, so refresh once and try again. */
const refusedByX = (error: unknown) => error instanceof GraphQLError && error.extensions['reason'] === 'X_CREDENTIALS_EXPIRED';

export function createTwitterResolvers({ streams, clients, guard, userQuotas, userGuard, cache, timelines, vault }: TwitterResolverDeps): Resolvers {
  const mapped = providerCall(toGraphQLError);
  const call = <T>(context: TwitterContext, run: () => Promise<T>) => mapped(context.logger, run);
  const writer = () => {
    if (!clients.writer) throw gatewayError(ErrorCode.FORBIDDEN, 'Posting is not configured (TWITTER_USER_ACCESS_TOKEN)', { provider: 'twitter' });
    return clients.writer;
  };
  const account = actingAccount(async () => (await asXAccount(() => writer().v2.me())).data.username);
  /** Posts act as the user token's account: only that account's own principal (or an admin) may make them. */
  const requireSelf = (context: TwitterContext) => call(context, () => requireActingAsSelf(context.caller, (p) => p.twitterUsername, account));
  /**
   * A write as the caller: with their connected X account when they have one (their own token, so it can
   * only ever act as them), else as the configured account, which only its own principal may use.
   */
  const asCaller = async <T>(context: TwitterContext, write: (client: TwitterApi, guard: CallGuard) => Promise<T>): Promise<T> => {
    const subject = principalOf(context.caller)?.subject;
    if (vault && subject) {
      const connected = await call(context, () =>
        vault.withToken(
          subject,
          (token) => {
            // X counts a user's calls against that user's windows (and the app's 24-hour caps): checked there.
            const userQuota = userQuotas.of(token.providerUserId);
            return write(clients.forUser(token.accessToken, userQuota), userGuard(userQuota));
          },
          refusedByX,
        ),
      );
      if (connected) return connected.value;
    }
    await requireSelf(context);
    return call(context, () => write(writer(), guard));
  };
  const connection = (page: TweetPageModel) => ({
    edges: page.tweets.map((node) => ({ cursor: edgeCursor(node.id), node })),
    pageInfo: {
      hasNextPage: page.nextToken !== null,
      hasPreviousPage: page.hasPrevious,
      startCursor: page.tweets[0] ? edgeCursor(page.tweets[0].id) : null,
      endCursor: page.nextToken ? pageCursor(page.nextToken) : page.tweets.at(-1) ? edgeCursor(page.tweets.at(-1)!.id) : null,
    },
  });

  return {
    DateTime: DateTimeScalar,
    ...createTweetEventResolvers(streams),
    Query: {
      viewer: (_root, _args, context) => viewerOf(context.caller),
      async twitterUser(_root, { username }, context) {
        if (!isXUsername(username)) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'username must be 1 to 15 letters, digits or underscores, as X usernames are', { argument: 'username' });
        return (await context.loaders.userByUsername.load(username)) ?? Promise.reject(notFound('X user'));
      },
      async twitterUserById(_root, { id }, context) {
        return (await context.loaders.userById.load(id)) ?? Promise.reject(notFound('X user'));
      },
      async tweet(_root, { id }, context) {
        return (await context.loaders.tweet.load(id)) ?? Promise.reject(notFound('Post'));
      },
      searchRecentTweets(_root, { query, first, after }, context) {
        const size = boundedPage(first, 10);
        const position = positionAfter(after);
        return call(context, () =>
          cache.readThrough({ kind: 'search', id: JSON.stringify([query, size, position ?? null]) }, () =>
            searchRecent(clients.reader, guard, { query, first: size, after: position }),
          ),
        );
      },
    },
    Mutation: {
      async postTweet(_root, { text }, context) {
        if (text.trim().length === 0 || [...text].length > 280) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'text must be 1 to 280 characters', { argument: 'text' });
        const id = await asCaller(context, (client, as) => postTweet(client, as, text));
        const tweet = await context.loaders.tweet.load(id);
        if (!tweet) throw notFound('Post');
        if (tweet.authorId) await timelines.invalidate(tweet.authorId);
        return tweet;
      },
      async deleteTweet(_root, { id }, context) {
        const tweet = await context.loaders.tweet.load(id).catch(() => null);
        const deleted = await asCaller(context, (client, as) => deleteTweet(client, as, id));
        await cache.delete([{ kind: 'tweet', id }]);
        if (tweet?.authorId) await timelines.invalidate(tweet.authorId);
        return { id, deleted };
      },
    },
    Viewer: {
      __resolveReference: (reference, context) => resolveViewer(reference, context.caller),
      twitter: (_viewer, _args, context) => {
        const username = principalOf(context.caller)?.twitterUsername;
        return username ? context.loaders.userByUsername.load(username) : null;
      },
    },
    TwitterUser: {
      async __resolveReference(reference, context) {
        const { id, username } = reference as { id?: string; username?: string };
        const user = id ? await context.loaders.userById.load(id) : username ? await context.loaders.userByUsername.load(username) : null;
        // An unknown linked account is an error at that entity's path, not a silent null.
        if (!user) throw notFound('X user');
        return user;
      },
      tweets(user, { first, after }, context) {
        return context.loaders.timeline.load({ userId: user.id, first: boundedPage(first, 5), after: positionAfter(after) });
      },
    },
    Tweet: {
      async __resolveReference(reference, context) {
        return (await context.loaders.tweet.load((reference as { id: string }).id)) ?? Promise.reject(notFound('Post'));
      },
      author: (tweet, _args, context) => (tweet.authorId ? context.loaders.userById.load(tweet.authorId) : null),
    },
    TweetConnection: {
      edges: (page) => connection(page).edges,
      nodes: (page) => page.tweets,
      pageInfo: (page) => connection(page).pageInfo,
    },
  };
}
