/**
 * What the connections feature needs from a provider's OAuth 2.0 app. Each provider writes its own in its
 * folder (subgraphs/twitter/oauth.ts, subgraphs/github/oauth.ts): URLs, scopes, how to read the login.
 */
export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string | undefined;
  /** Seconds from now; undefined: the provider does not say (a token that does not expire). */
  expiresIn?: number | undefined;
  refreshExpiresIn?: number | undefined;
  scopes: readonly string[];
}

export interface ProviderAccount {
  id: string;
  login: string;
}

export interface OAuthProvider {
  /** The provider's name in this project (`twitter`, `github`): its connections and routes carry it. */
  readonly name: string;
  /** For people: "X", "GitHub". */
  readonly displayName: string;
  /** Scopes asked for; a connection granted fewer needs consent again. */
  readonly scopes: readonly string[];
  /** Scopes without which a connection is useless (the rest are welcome). */
  readonly requiredScopes: readonly string[];
  authorizationUrl(params: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchange(params: { code: string; codeVerifier: string; redirectUri: string }): Promise<OAuthTokens>;
  /** Throws GrantRevokedError when the provider answers `invalid_grant` (revoked, spent or expired). */
  refresh(refreshToken: string): Promise<OAuthTokens>;
  revoke(tokens: { accessToken: string; refreshToken?: string | undefined }): Promise<void>;
  identify(accessToken: string): Promise<ProviderAccount>;
}

/** The provider refused a grant: the user must connect again (never an outage). */
export class GrantRevokedError extends Error {
  readonly provider: string;
  constructor(provider: string) {
    super(`${provider} refused the grant (invalid_grant)`);
    this.provider = provider;
    this.name = 'GrantRevokedError';
  }
}
