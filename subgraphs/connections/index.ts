import type { AuditLog } from '../../kit/access/audit-log.ts';
import { keyringFromEnv } from '../../kit/connections/config.ts';
import type { Keyring } from '../../kit/connections/keyring.ts';
import type { OAuthProvider } from '../../kit/connections/oauth-provider.ts';
import { createConnectionStore } from '../../kit/connections/store.ts';
import { connectionMigrations } from '../../kit/connections/tables.ts';
import { createContextFactory } from '../../kit/context.ts';
import type { Database } from '../../kit/database/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Environment, Provider } from '../../kit/provider.ts';
import { loadSubgraphTypeDefs } from '../../kit/sdl.ts';
import type { Subgraph } from '../../kit/subgraph.ts';
import { createXOAuthProvider, xOAuthSettingsFromEnv } from '../twitter/oauth.ts';
import { createGitHubOAuthProvider, githubOAuthSettingsFromEnv } from '../github/oauth.ts';
import { connectionsAccess } from './access.ts';
import { callbackPath, createCallbackRoute } from './callback.ts';
import { connectionsSettingsFromEnv, type ConnectionsSettings } from './config.ts';
import type { ConnectionsContext } from './context.ts';
import { createConnectionsResolvers } from './resolvers.ts';

export interface ConnectionsSubgraphOptions {
  settings: ConnectionsSettings;
  keyring: Keyring;
  oauth: readonly (OAuthProvider & { close?(): void })[];
  database: Database | undefined;
  logger: Logger;
  audit?: AuditLog | undefined;
}

/**
 * Users' connected accounts (X, GitHub): the OAuth 2.0 + PKCE flows, `viewer.connections`, and the
 * callbacks the gateway serves. Tokens live in the vault (kit/connections); the provider subgraphs use them.
 */
export function createConnectionsSubgraph({ settings, keyring, oauth, database, logger, audit }: ConnectionsSubgraphOptions): Subgraph<ConnectionsContext> {
  if (!database) throw new Error('the connections subgraph needs the database (it declares migrations, so the application opens one)');
  const subgraphLogger = logger.child({ subgraph: 'connections' });
  const store = createConnectionStore(database, keyring);
  let gatewayBase: string | undefined;
  const callbackUrl = (provider: string) => {
    const base = settings.publicUrl ?? gatewayBase;
    if (!base) throw new Error('CONNECTIONS_PUBLIC_URL is not set and the gateway URL is unknown');
    return `${base}${callbackPath(provider)}`;
  };
  const providers = new Map(oauth.map((p) => [p.name, p]));
  if (providers.size === 0) subgraphLogger.warn('no OAuth app configured (TWITTER_OAUTH_CLIENT_ID, GITHUB_OAUTH_CLIENT_ID): users cannot connect accounts');
  return {
    name: 'connections',
    typeDefs: loadSubgraphTypeDefs('connections'),
    resolvers: createConnectionsResolvers({ oauth: providers, store, settings, callbackUrl }),
    createContext: createContextFactory({ logger: subgraphLogger, createLoaders: () => ({}) }),
    webhooks: oauth.map((p) => createCallbackRoute({ oauth: p, store, audit, logger: subgraphLogger, callbackUrl: () => callbackUrl(p.name), confirmTtlMs: settings.stateTtlMs })),
    connectGateway(base) {
      gatewayBase = base;
    },
    health: async () => ({ ok: true, latencyMs: 0, detail: `${providers.size} OAuth app(s)` }),
    async close() {
      for (const p of oauth) p.close?.();
    },
  };
}

function oauthProvidersFromEnv(environment: Environment): (OAuthProvider & { close?(): void })[] {
  const x = xOAuthSettingsFromEnv(environment);
  const github = githubOAuthSettingsFromEnv(environment);
  return [...(x ? [createXOAuthProvider(x)] : []), ...(github ? [createGitHubOAuthProvider(github)] : [])];
}

/** Connections as the application sees them: the database tables, and X's and GitHub's OAuth apps. */
export const connectionsProvider: Provider = {
  name: 'connections',
  accessRules: connectionsAccess,
  migrations: connectionMigrations,
  readsEnvOf: ['twitter', 'github'],
  usesRealService: () => false,
  configure(env) {
    const settings = connectionsSettingsFromEnv(env);
    const keyring = keyringFromEnv(env);
    return (deps) => createConnectionsSubgraph({ settings, keyring, oauth: oauthProvidersFromEnv(env), database: deps.database, logger: deps.logger, audit: deps.audit });
  },
};
