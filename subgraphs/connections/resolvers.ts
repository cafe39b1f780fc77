import { unauthenticated } from '../../kit/access/access.ts';
import { resolveViewer, viewerOf } from '../../kit/access/viewer.ts';
import type { Caller } from '../../kit/access/principal.ts';
import type { OAuthProvider } from '../../kit/connections/oauth-provider.ts';
import { AccountTakenError, type ConfirmedConnection, type ConnectionStore, type ConnectionSummary } from '../../kit/connections/store.ts';
import type { Logger } from '../../kit/logger.ts';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import { DateTimeScalar } from '../../kit/scalars.ts';
import type { ConnectionsSettings } from './config.ts';
import { describeFailure } from './callback.ts';
import type { Connection, ConnectionProvider, Resolvers } from './__generated__/resolvers.ts';

const PROVIDER_NAMES: Record<ConnectionProvider, string> = { GITHUB: 'github', TWITTER: 'twitter' };
const ENUM_OF: Record<string, ConnectionProvider> = { github: 'GITHUB', twitter: 'TWITTER' };

const subjectOf = (caller: Caller): string => {
  if (caller.kind !== 'user') throw unauthenticated();
  return caller.principal.subject;
};

const toConnection = (c: ConnectionSummary): Connection => ({
  id: c.id,
  provider: ENUM_OF[c.provider] ?? 'TWITTER',
  login: c.login,
  providerUserId: c.providerUserId,
  scopes: c.scopes,
  status: c.status === 'needs_consent' ? 'NEEDS_CONSENT' : (c.status.toUpperCase() as Connection['status']),
  connectedAt: c.connectedAt,
  expiresAt: c.expiresAt,
  lastRefreshedAt: c.refreshedAt,
});

export function createConnectionsResolvers({
  oauth,
  store,
  settings,
  callbackUrl,
}: {
  oauth: ReadonlyMap<string, OAuthProvider>;
  store: ConnectionStore;
  settings: ConnectionsSettings;
  callbackUrl: (provider: string) => string;
}): Resolvers {
  const providerFor = (provider: ConnectionProvider): OAuthProvider => {
    const found = oauth.get(PROVIDER_NAMES[provider]);
    if (!found) throw gatewayError(ErrorCode.BAD_USER_INPUT, `Connecting ${provider === 'GITHUB' ? 'GitHub' : 'X'} accounts is not configured`, { argument: 'provider' });
    return found;
  };
  return {
    DateTime: DateTimeScalar,
    Query: {
      viewer: (_root, _args, context) => viewerOf(context.caller),
    },
    Viewer: {
      __resolveReference: (reference, context) => resolveViewer(reference, context.caller),
      connections: async (_viewer, _args, context) => (await store.list(subjectOf(context.caller))).map(toConnection),
    },
    Mutation: {
      async connectAccount(_root, { provider, redirectUri }, context) {
        const subject = subjectOf(context.caller);
        const app = providerFor(provider);
        if (!settings.redirectAllowed(redirectUri)) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'redirectUri is not an allowed return address (CONNECTIONS_REDIRECT_URIS)', { argument: 'redirectUri' });
        const attempt = await store.startAttempt({ subject, provider: app.name, returnTo: redirectUri, ttlMs: settings.stateTtlMs });
        return {
          authorizationUrl: app.authorizationUrl({ state: attempt.state, codeChallenge: attempt.codeChallenge, redirectUri: callbackUrl(app.name) }),
          expiresAt: attempt.expiresAt,
        };
      },
      async confirmConnection(_root, { ticket }, context) {
        const subject = subjectOf(context.caller);
        let confirmed: ConfirmedConnection;
        try {
          confirmed = await store.confirm({ ticket, subject, requiredScopes: (name) => oauth.get(name)?.requiredScopes ?? [] });
        } catch (error) {
          if (error instanceof AccountTakenError) throw gatewayError(ErrorCode.ACCOUNT_ALREADY_CONNECTED, 'This account is already connected to another user here: disconnect it there first');
          throw error;
        }
        if (confirmed.ok) return toConnection(confirmed.connection);
        if (confirmed.reason === 'unknown') throw gatewayError(ErrorCode.BAD_USER_INPUT, 'This connection ticket is unknown or was already used: start connecting again', { argument: 'ticket' });
        // Nobody will confirm this grant now: it goes back to the provider rather than staying valid there,
        // unless the account is connected here already (GitHub revokes a whole grant, that connection's too).
        if ((await store.ownerOf(confirmed.provider, confirmed.providerUserId)) === undefined) await revokeQuietly(oauth.get(confirmed.provider), confirmed.tokens, context.logger);
        if (confirmed.reason === 'expired') throw gatewayError(ErrorCode.BAD_USER_INPUT, 'This connection ticket has expired: start connecting again', { argument: 'ticket' });
        throw gatewayError(ErrorCode.FORBIDDEN, 'This connection was started by another user: nothing was connected. Start connecting from your own account.');
      },
      async disconnectAccount(_root, { provider }, context) {
        const subject = subjectOf(context.caller);
        const app = providerFor(provider);
        const tokens = await store.remove(subject, app.name);
        if (!tokens) return { provider, disconnected: false, revokedAtProvider: false };
        // Deleted here regardless: the user asked to be disconnected, and the tokens are gone from the vault.
        return { provider, disconnected: true, revokedAtProvider: await revokeQuietly(app, tokens, context.logger) };
      },
    },
  };
}

/** Revokes a grant at the provider; whether it confirmed. A failure is logged, never thrown: the caller goes on without it. */
async function revokeQuietly(app: OAuthProvider | undefined, tokens: { accessToken: string; refreshToken?: string | undefined }, logger: Logger): Promise<boolean> {
  if (!app) return false;
  try {
    await app.revoke(tokens);
    return true;
  } catch (error) {
    logger.warn({ provider: app.name, failure: describeFailure(error) }, 'revoking a grant at the provider failed');
    return false;
  }
}
