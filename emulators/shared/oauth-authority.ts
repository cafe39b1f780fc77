import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An OAuth 2.0 authorization server as providers run it (RFC 6749 + PKCE, RFC 7636), shared by the X and
 * GitHub emulators: a consent page a person (or a test following its forms) approves or denies,
 * single-use authorization codes bound to the client, redirect URI and PKCE challenge, expiring access
 * tokens, rotating refresh tokens (a spent one is `invalid_grant`, and revokes its grant, as RFC 6819
 * advises), and revocation. Each emulator decides what its tokens look like and which API accepts them.
 */

export interface OAuthClient {
  readonly clientId: string;
  /** Confidential clients authenticate at the token endpoint (Basic or body); public ones send only their id. */
  readonly clientSecret?: string | undefined;
  readonly name: string;
  /** Registered callback URLs (exact match); loopback URLs on any port are also allowed when `allowLoopback`. */
  readonly redirectUris: readonly string[];
  readonly allowLoopback: boolean;
}

export interface OAuthUser {
  readonly id: string;
  readonly login: string;
}

export interface Grant {
  readonly id: string;
  readonly clientId: string;
  readonly user: OAuthUser;
  readonly scopes: readonly string[];
  revoked: boolean;
}

export interface IssuedAccess {
  readonly token: string;
  readonly expiresAtMs: number;
}

export interface OAuthAuthorityOptions {
  readonly clients: readonly OAuthClient[];
  readonly clock: () => number;
  /** Shown on the consent page and in its title ("X", "GitHub"). */
  readonly providerName: string;
  /** Where the consent form posts (the authorize path itself). */
  readonly authorizePath: string;
  readonly findUser: (login: string) => OAuthUser | undefined;
  readonly defaultLogin: string;
  readonly accessLifetimeSeconds: number;
  readonly refreshLifetimeSeconds?: number | undefined;
  /** Mints an access token (the emulator's API must accept it); the authority remembers its grant. */
  readonly mintAccess: (grant: Grant, nowMs: number) => IssuedAccess;
  readonly refreshPrefix: string;
  /** X: refresh tokens only with `offline.access`. Undefined: always. */
  readonly refreshScope?: string | undefined;
  /** X requires PKCE; GitHub accepts it (and then enforces it). */
  readonly requirePkce: boolean;
  /** How scopes are separated in requests and answers (X: space, GitHub: comma or space). */
  readonly scopeSeparator: ' ' | ',';
  /** GitHub: once a refresh token is used, the access token issued with it stops working too. */
  readonly retireAccessOnRefresh?: boolean | undefined;
}

interface PendingRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  challenge: string | undefined;
  expiresAtMs: number;
}

interface AuthorizationCode {
  grant: Grant;
  redirectUri: string;
  challenge: string | undefined;
  expiresAtMs: number;
  used: boolean;
}

interface RefreshRecord {
  grant: Grant;
  expiresAtMs: number | undefined;
  spent: boolean;
  /** The access token issued with it. */
  access: string;
}

export type PageAnswer = { status: number; html: string } | { status: 302; location: string };
/**
 * What the token endpoint answers. On a refusal, `reason` says which check failed, so an emulator can use
 * its provider's own error codes (GitHub: `bad_verification_code`, `bad_refresh_token`…).
 */
export type TokenAnswer = { status: number; json: Record<string, unknown>; reason?: TokenRefusal | undefined };
export type TokenRefusal = 'client' | 'code' | 'redirect_uri' | 'verifier' | 'refresh_token' | 'grant_type' | 'request';

/** X's authorization codes live 30 seconds; GitHub's ten minutes. Ten minutes for both: a test may pause. */
const CODE_LIFETIME_MS = 10 * 60_000;
const PENDING_LIFETIME_MS = 10 * 60_000;

export class OAuthAuthority {
  readonly options: OAuthAuthorityOptions;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #refresh = new Map<string, RefreshRecord>();
  readonly #accessGrants = new Map<string, { grant: Grant; expiresAtMs: number }>();
  /** Counts by grant type, so tests can see a refresh token spent exactly once. */
  readonly tokenRequests = { authorization_code: 0, refresh_token: 0, revoke: 0 };

  constructor(options: OAuthAuthorityOptions) {
    this.options = options;
  }

  /** GET authorize: the consent page, or an error page (never a redirect to an unregistered URI). */
  authorize(query: URLSearchParams): PageAnswer {
    const clientId = query.get('client_id') ?? '';
    const client = this.#client(clientId);
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client) return page(400, `${this.options.providerName}: unknown application`, 'The application asking for access is not registered (client_id).');
    if (!this.#redirectAllowed(client, redirectUri)) return page(400, `${this.options.providerName}: redirect not allowed`, 'The redirect_uri is not one of the callback URLs registered for this application.');
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string): PageAnswer => ({ status: 302, location: withParams(redirectUri, { error, error_description: description, state }) });
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const challenge = query.get('code_challenge') ?? undefined;
    const method = query.get('code_challenge_method') ?? undefined;
    if (challenge === undefined && this.options.requirePkce) return fail('invalid_request', 'code_challenge is required');
    if (challenge !== undefined && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    const scopes = splitScopes(query.get('scope') ?? '');
    const id = randomBytes(16).toString('base64url');
    this.#pending.set(id, { clientId, redirectUri, scopes, state, challenge, expiresAtMs: this.options.clock() + PENDING_LIFETIME_MS });
    return { status: 200, html: this.#consentPage(id, client, scopes) };
  }

  /** POST authorize: the person's decision. */
  decide(form: URLSearchParams): PageAnswer {
    const id = form.get('request') ?? '';
    const pending = this.#pending.get(id);
    if (!pending || pending.expiresAtMs <= this.options.clock()) return page(400, `${this.options.providerName}: request expired`, 'This authorization request has expired. Start again from the application.');
    const client = this.#client(pending.clientId)!;
    if (form.get('decision') !== 'approve') {
      this.#pending.delete(id);
      return { status: 302, location: withParams(pending.redirectUri, { error: 'access_denied', error_description: 'The user denied the request', state: pending.state }) };
    }
    const user = this.options.findUser((form.get('login') ?? '').replace(/^@/, ''));
    if (!user) return { status: 400, html: this.#consentPage(id, client, pending.scopes, 'No such account.') };
    this.#pending.delete(id);
    const grant: Grant = { id: randomBytes(8).toString('hex'), clientId: pending.clientId, user, scopes: pending.scopes, revoked: false };
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, { grant, redirectUri: pending.redirectUri, challenge: pending.challenge, expiresAtMs: this.options.clock() + CODE_LIFETIME_MS, used: false });
    return { status: 302, location: withParams(pending.redirectUri, { code, state: pending.state }) };
  }

  /** POST token: authorization_code and refresh_token grants. */
  token(form: URLSearchParams, authorization: string | undefined): TokenAnswer {
    const client = this.#authenticateClient(form, authorization);
    if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed', 'client');
    const grantType = form.get('grant_type');
    const now = this.options.clock();
    if (grantType === 'authorization_code') {
      this.tokenRequests.authorization_code++;
      const code = this.#codes.get(form.get('code') ?? '');
      if (!code || code.grant.clientId !== client.clientId) return oauthError(400, 'invalid_grant', 'Value passed for the authorization code was invalid.', 'code');
      if (code.used) {
        // A code presented twice: someone else may have it. Everything issued from it is revoked.
        code.grant.revoked = true;
        return oauthError(400, 'invalid_grant', 'Value passed for the authorization code was already used.', 'code');
      }
      if (code.expiresAtMs <= now) return oauthError(400, 'invalid_grant', 'The authorization code has expired.', 'code');
      if ((form.get('redirect_uri') ?? '') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request.', 'redirect_uri');
      if (code.challenge !== undefined) {
        const verifier = form.get('code_verifier') ?? '';
        if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !equal(s256(verifier), code.challenge)) return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge.', 'verifier');
      } else if (this.options.requirePkce) return oauthError(400, 'invalid_request', 'code_verifier is required', 'verifier');
      code.used = true;
      return { status: 200, json: this.#issue(code.grant, now) };
    }
    if (grantType === 'refresh_token') {
      this.tokenRequests.refresh_token++;
      const presented = form.get('refresh_token') ?? '';
      const record = this.#refresh.get(presented);
      if (!record || record.grant.clientId !== client.clientId) return oauthError(400, 'invalid_grant', 'Value passed for the token was invalid.', 'refresh_token');
      if (record.spent) {
        // Refresh tokens rotate: a spent one presented again means two parties hold it. Revoke the grant.
        record.grant.revoked = true;
        return oauthError(400, 'invalid_grant', 'Value passed for the token was invalid.', 'refresh_token');
      }
      if (record.grant.revoked || (record.expiresAtMs !== undefined && record.expiresAtMs <= now)) return oauthError(400, 'invalid_grant', 'Value passed for the token was invalid.', 'refresh_token');
      record.spent = true;
      if (this.options.retireAccessOnRefresh) this.#accessGrants.delete(record.access);
      return { status: 200, json: this.#issue(record.grant, now) };
    }
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token', 'grant_type');
  }

  /** Revokes the grant a token (access or refresh) belongs to; unknown tokens succeed quietly (RFC 7009). */
  revoke(token: string): void {
    this.tokenRequests.revoke++;
    const grant = this.#accessGrants.get(token)?.grant ?? this.#refresh.get(token)?.grant;
    if (grant) grant.revoked = true;
  }

  /** Client authentication for the revocation endpoint (same rules as the token endpoint). */
  authenticateClient(form: URLSearchParams, authorization: string | undefined): OAuthClient | undefined {
    return this.#authenticateClient(form, authorization);
  }

  /** The live grant an access token this authority issued belongs to; undefined when unknown. */
  accessGrant(token: string): { grant: Grant; expiresAtMs: number } | undefined {
    return this.#accessGrants.get(token);
  }

  /** Whether the token was issued here and its grant has since been revoked. */
  isRevoked(token: string): boolean {
    return this.#accessGrants.get(token)?.grant.revoked ?? false;
  }

  #issue(grant: Grant, now: number): Record<string, unknown> {
    const access = this.options.mintAccess(grant, now);
    this.#accessGrants.set(access.token, { grant, expiresAtMs: access.expiresAtMs });
    const body: Record<string, unknown> = {
      token_type: 'bearer',
      access_token: access.token,
      expires_in: Math.round((access.expiresAtMs - now) / 1000),
      scope: grant.scopes.join(this.options.scopeSeparator),
    };
    if (this.options.refreshScope === undefined || grant.scopes.includes(this.options.refreshScope)) {
      const refresh = `${this.options.refreshPrefix}${randomBytes(24).toString('base64url')}`;
      const lifetime = this.options.refreshLifetimeSeconds;
      this.#refresh.set(refresh, { grant, expiresAtMs: lifetime === undefined ? undefined : now + lifetime * 1000, spent: false, access: access.token });
      body['refresh_token'] = refresh;
      if (lifetime !== undefined) body['refresh_token_expires_in'] = lifetime;
    }
    return body;
  }

  #client(clientId: string): OAuthClient | undefined {
    return this.options.clients.find((c) => c.clientId === clientId);
  }

  #redirectAllowed(client: OAuthClient, redirectUri: string): boolean {
    if (client.redirectUris.includes(redirectUri)) return true;
    if (!client.allowLoopback) return false;
    try {
      const url = new URL(redirectUri);
      return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.hash === '';
    } catch {
      return false;
    }
  }

  #authenticateClient(form: URLSearchParams, authorization: string | undefined): OAuthClient | undefined {
    const basic = /^basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (basic) {
      const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part));
      const client = this.#client(id);
      return client?.clientSecret !== undefined && equal(client.clientSecret, secret) ? client : undefined;
    }
    const client = this.#client(form.get('client_id') ?? '');
    if (!client) return undefined;
    if (client.clientSecret === undefined) return client;
    const secret = form.get('client_secret');
    return secret !== null && equal(client.clientSecret, secret) ? client : undefined;
  }

  #consentPage(id: string, client: OAuthClient, scopes: readonly string[], problem?: string): string {
    const provider = escapeHtml(this.options.providerName);
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(client.name)} - ${provider} (emulator)</title></head><body>
<h1>${escapeHtml(client.name)} wants to access your ${provider} account</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<p>It asks for: </p><ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<form method="post" action="${escapeHtml(this.options.authorizePath)}">
<input type="hidden" name="request" value="${id}">
<label>Signed in as <input name="login" value="${escapeHtml(this.options.defaultLogin)}"></label>
<button type="submit" name="decision" value="approve">Authorize app</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></body></html>`;
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function splitScopes(scope: string): string[] {
  return [...new Set(scope.split(/[\s,]+/).filter(Boolean))];
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

function oauthError(status: number, error: string, description: string, reason: TokenRefusal): TokenAnswer {
  return { status, json: { error, error_description: description }, reason };
}

function page(status: number, title: string, text: string): PageAnswer {
  return { status, html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>` };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * An OAuth endpoint's parameters: providers document form bodies, and accept JSON too (twitter-api-v2 1.29
 * sends JSON to X's `/2/oauth2/*`, its body-type check reading `url.password` where it means the path).
 */
export function oauthParams(body: string, contentType: string | undefined): URLSearchParams {
  if (!/json/i.test(contentType ?? '')) return new URLSearchParams(body);
  try {
    const parsed: unknown = JSON.parse(body);
    const entries = parsed !== null && typeof parsed === 'object' ? Object.entries(parsed as Record<string, unknown>) : [];
    return new URLSearchParams(entries.filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new URLSearchParams();
  }
}
