import { ApiResponseError, TwitterApi, type IClientSettings } from 'twitter-api-v2';
import { z } from 'zod';
import { env, readConfig } from '../../kit/config.ts';
import { GrantRevokedError, type OAuthProvider, type OAuthTokens } from '../../kit/connections/oauth-provider.ts';
import type { Environment } from '../../kit/provider.ts';
import { baseUrlPlugin, clientSettingsFor } from './base-url-plugin.ts';

/**
 * X's OAuth 2.0 app (Authorization Code with PKCE): register it at developer.x.com (User authentication
 * settings: type "Web App" for a confidential client, callback `<public gateway URL>/oauth/twitter/callback`).
 */
export const twitterOAuthConfigSchema = z.object({
  TWITTER_OAUTH_CLIENT_ID: env.string(),
  TWITTER_OAUTH_CLIENT_SECRET: env.string(),
  TWITTER_OAUTH_AUTHORIZE_URL: env.url(['http:', 'https:']),
  TWITTER_API_BASE: env.url(['http:', 'https:']),
});

/** Read and post as the user, read their account, and `offline.access` for a refresh token. */
export const X_OAUTH_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] as const;

export interface XOAuthSettings {
  clientId: string;
  clientSecret?: string | undefined;
  authorizeUrl: string;
  /** Where the token endpoints and the API are (X's own, or the emulator). */
  apiBase?: string | undefined;
}

export function xOAuthSettingsFromEnv(environment: Environment): XOAuthSettings | undefined {
  const config = readConfig(twitterOAuthConfigSchema, environment);
  if (!config.TWITTER_OAUTH_CLIENT_ID) return undefined;
  const apiBase = config.TWITTER_API_BASE?.replace(/\/$/, '');
  return {
    clientId: config.TWITTER_OAUTH_CLIENT_ID,
    clientSecret: config.TWITTER_OAUTH_CLIENT_SECRET,
    // The emulator serves X's authorize page on its own host; X serves it on x.com, not api.x.com.
    authorizeUrl: config.TWITTER_OAUTH_AUTHORIZE_URL ?? (apiBase ? `${apiBase}/i/oauth2/authorize` : 'https://x.com/i/oauth2/authorize'),
    apiBase,
  };
}

/** X through twitter-api-v2's own OAuth 2.0 methods (token exchange, refresh, revoke) and `users/me`. */
export function createXOAuthProvider(settings: XOAuthSettings): OAuthProvider & { close(): void } {
  const transport: Partial<IClientSettings> = settings.apiBase ? { plugins: [baseUrlPlugin(settings.apiBase)], ...clientSettingsFor(settings.apiBase) } : {};
  const app = new TwitterApi({ clientId: settings.clientId, ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}) }, transport);
  const tokensOf = (result: { accessToken: string; refreshToken?: string | undefined; expiresIn: number; scope: string[] }): OAuthTokens => ({
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn: result.expiresIn,
    scopes: result.scope,
  });
  return {
    name: 'twitter',
    displayName: 'X',
    scopes: X_OAUTH_SCOPES,
    requiredScopes: ['tweet.read', 'tweet.write', 'users.read'],
    authorizationUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(settings.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: X_OAUTH_SCOPES.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchange({ code, codeVerifier, redirectUri }) {
      return tokensOf(await app.loginWithOAuth2({ code, codeVerifier, redirectUri }));
    },
    async refresh(refreshToken) {
      try {
        return tokensOf(await app.refreshOAuth2Token(refreshToken));
      } catch (error) {
        // X answers a spent, revoked or unknown refresh token with 400 invalid_request/invalid_grant.
        if (error instanceof ApiResponseError && error.code === 400) throw new GrantRevokedError('twitter');
        throw error;
      }
    },
    async revoke({ accessToken, refreshToken }) {
      await app.revokeOAuth2Token(accessToken, 'access_token');
      if (refreshToken) await app.revokeOAuth2Token(refreshToken, 'refresh_token');
    },
    async identify(accessToken) {
      const { data } = await new TwitterApi(accessToken, transport).v2.me();
      return { id: data.id, login: data.username };
    },
    close: () => transport.httpAgent?.destroy(),
  };
}
