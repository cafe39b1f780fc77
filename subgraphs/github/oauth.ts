import { graphql } from '@octokit/graphql';
import { z } from 'zod';
import { env, readConfig } from '../../kit/config.ts';
import { GrantRevokedError, type OAuthProvider, type OAuthTokens } from '../../kit/connections/oauth-provider.ts';
import type { Environment } from '../../kit/provider.ts';

/**
 * GitHub's user-to-server OAuth (a GitHub App with "Expire user authorization tokens" on, so access tokens
 * last 8 hours and come with 6-month refresh tokens; an OAuth App works too, its tokens never expire).
 * Callback URL: `<public gateway URL>/oauth/github/callback`.
 */
export const githubOAuthConfigSchema = z.object({
  GITHUB_OAUTH_CLIENT_ID: env.string(),
  GITHUB_OAUTH_CLIENT_SECRET: env.string(),
  /** Where github.com's web pages are (the authorize page and token endpoint); GHES: https://HOST. */
  GITHUB_OAUTH_BASE: env.url(['http:', 'https:']),
  GITHUB_API_BASE: env.url(['http:', 'https:']),
});

/** OAuth App scopes (a GitHub App ignores them and grants its configured permissions). */
export const GITHUB_OAUTH_SCOPES = ['read:user', 'public_repo'] as const;

export interface GitHubOAuthSettings {
  clientId: string;
  clientSecret: string;
  webBase: string;
  apiBase: string;
}

export function githubOAuthSettingsFromEnv(environment: Environment): GitHubOAuthSettings | undefined {
  const config = readConfig(githubOAuthConfigSchema, environment);
  if (!config.GITHUB_OAUTH_CLIENT_ID || !config.GITHUB_OAUTH_CLIENT_SECRET) return undefined;
  return {
    clientId: config.GITHUB_OAUTH_CLIENT_ID,
    clientSecret: config.GITHUB_OAUTH_CLIENT_SECRET,
    webBase: (config.GITHUB_OAUTH_BASE ?? 'https://github.com').replace(/\/$/, ''),
    apiBase: (config.GITHUB_API_BASE ?? 'https://api.github.com').replace(/\/$/, ''),
  };
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  scope?: string;
  error?: string;
}

export function createGitHubOAuthProvider(settings: GitHubOAuthSettings): OAuthProvider {
  const basic = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`;
  /** GitHub's token endpoint answers errors with 200 and `{ error }` (bad_verification_code, bad_refresh_token). */
  async function token(params: Record<string, string>): Promise<OAuthTokens> {
    const response = await fetch(`${settings.webBase}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, ...params }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`GitHub token endpoint answered ${response.status}`);
    const answer = (await response.json()) as TokenAnswer;
    if (answer.error === 'bad_refresh_token') throw new GrantRevokedError('github');
    if (answer.error || !answer.access_token) throw new Error(`GitHub token endpoint refused: ${answer.error ?? 'no token'}`);
    return {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresIn: answer.expires_in,
      refreshExpiresIn: answer.refresh_token_expires_in,
      scopes: (answer.scope ?? '').split(/[\s,]+/).filter(Boolean),
    };
  }
  return {
    name: 'github',
    displayName: 'GitHub',
    scopes: GITHUB_OAUTH_SCOPES,
    requiredScopes: [],
    authorizationUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(`${settings.webBase}/login/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: GITHUB_OAUTH_SCOPES.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        allow_signup: 'false',
      }).toString();
      return url.toString();
    },
    exchange: ({ code, codeVerifier, redirectUri }) => token({ code, code_verifier: codeVerifier, redirect_uri: redirectUri }),
    refresh: (refreshToken) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    async revoke({ accessToken }) {
      // Deleting the grant revokes every token of this app for the user, refresh tokens included.
      const response = await fetch(`${settings.apiBase}/applications/${encodeURIComponent(settings.clientId)}/grant`, {
        method: 'DELETE',
        headers: { authorization: basic, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: accessToken }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 204 && response.status !== 404) throw new Error(`GitHub answered ${response.status} to the grant deletion`);
    },
    async identify(accessToken) {
      const { viewer } = await graphql<{ viewer: { login: string; databaseId: number } }>('query { viewer { login databaseId } }', {
        baseUrl: settings.apiBase,
        headers: { authorization: `bearer ${accessToken}` },
      });
      return { id: String(viewer.databaseId), login: viewer.login };
    },
  };
}
