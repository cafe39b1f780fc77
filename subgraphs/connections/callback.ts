import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../../kit/access/audit-log.ts';
import type { OAuthProvider } from '../../kit/connections/oauth-provider.ts';
import { AccountTakenError, type ConnectionStore } from '../../kit/connections/store.ts';
import type { Logger } from '../../kit/logger.ts';
import type { WebhookRoute } from '../../kit/webhooks/webhook-route.ts';
import { failurePage, redirectTo } from './pages.ts';

export const callbackPath = (provider: string) => `/oauth/${provider}/callback`;

/**
 * `GET /oauth/<provider>/callback`, where the provider sends the browser back. The state is consumed first
 * (single use, bound to the user who started, expiring); then the code is exchanged with the verifier
 * that never left the server and the account read. The account is held, not connected: success
 * redirects to the application's page with a single-use `connection_ticket`, which the application
 * confirms as its signed-in user (`confirmConnection`). The state alone cannot tell whose browser came
 * back: a link started by one user and opened by another would otherwise connect the second one's
 * account to the first. Every failure is a page saying why, and an audit record.
 */
export function createCallbackRoute({
  oauth,
  store,
  audit,
  logger,
  callbackUrl,
  confirmTtlMs,
}: {
  oauth: OAuthProvider;
  store: ConnectionStore;
  audit?: AuditLog | undefined;
  logger: Logger;
  callbackUrl: () => string;
  /** How long the application has to confirm the held account. */
  confirmTtlMs: number;
}): WebhookRoute {
  const name = oauth.displayName;
  const record = (principal: string, outcome: string) =>
    audit?.write({
      time: new Date().toISOString(),
      requestId: randomUUID(),
      principal,
      operationName: null,
      field: 'connectAccountCallback',
      provider: oauth.name,
      providerRequestIds: [],
      outcome,
      arguments: { provider: oauth.name },
    });
  return {
    method: 'GET',
    path: callbackPath(oauth.name),
    async handle({ query }) {
      const state = query.get('state');
      if (!state) {
        record('anonymous', 'STATE_MISSING');
        return failurePage(400, `Could not connect your ${name} account`, 'This address is incomplete (it has no state). Start connecting again from the application.');
      }
      const attempt = await store.takeAttempt(oauth.name, state);
      if (!attempt.ok) {
        record('anonymous', `STATE_${attempt.reason.toUpperCase().replace('-', '_')}`);
        const why =
          attempt.reason === 'expired'
            ? 'Connecting took too long and this link has expired.'
            : 'This link was already used, or was not started here. Each link works once.';
        return failurePage(400, `Could not connect your ${name} account`, `${why} Start connecting again from the application.`, attempt.returnTo);
      }
      const back = (params: Record<string, string>) => withParams(attempt.returnTo, params);
      const error = query.get('error');
      if (error) {
        record(attempt.subject, error === 'access_denied' ? 'ACCESS_DENIED' : 'PROVIDER_ERROR');
        return error === 'access_denied'
          ? failurePage(403, `${name} account not connected`, `You declined to give the application access to your ${name} account. Nothing was connected.`, back({ error: 'access_denied', provider: oauth.name }))
          : failurePage(400, `Could not connect your ${name} account`, `${name} refused the request (${error.slice(0, 60)}). Try again, or contact support if it keeps happening.`, back({ error: 'provider_error', provider: oauth.name }));
      }
      const code = query.get('code');
      if (!code) {
        record(attempt.subject, 'CODE_MISSING');
        return failurePage(400, `Could not connect your ${name} account`, `${name} sent no authorization code. Start connecting again from the application.`, back({ error: 'provider_error', provider: oauth.name }));
      }
      try {
        const tokens = await oauth.exchange({ code, codeVerifier: attempt.codeVerifier, redirectUri: callbackUrl() });
        const account = await oauth.identify(tokens.accessToken);
        const owner = await store.ownerOf(oauth.name, account.id);
        if (owner !== undefined && owner !== attempt.subject) throw new AccountTakenError(`${oauth.name} account already connected to another user`);
        // Not connected yet: the application confirms as the signed-in user who started (confirmConnection).
        const held = await store.holdForConfirmation({ subject: attempt.subject, provider: oauth.name, account, tokens, ttlMs: confirmTtlMs });
        record(attempt.subject, 'AWAITING_CONFIRMATION');
        return redirectTo(back({ provider: oauth.name, connection_ticket: held.ticket }));
      } catch (failure) {
        if (failure instanceof AccountTakenError) {
          record(attempt.subject, 'ACCOUNT_TAKEN');
          return failurePage(409, `${name} account already connected`, `This ${name} account is already connected to another user here. Disconnect it there first, or sign in to ${name} with another account.`, back({ error: 'account_taken', provider: oauth.name }));
        }
        // The provider's words stay in the log; the page says what the person can do.
        logger.warn({ provider: oauth.name, failure: describeFailure(failure) }, 'connection callback failed');
        record(attempt.subject, 'PROVIDER_UNAVAILABLE');
        return failurePage(502, `Could not connect your ${name} account`, `${name} did not complete the connection (the code may have expired). Start connecting again from the application.`, back({ error: 'exchange_failed', provider: oauth.name }));
      }
    },
  };
}

/**
 * What the logs may say about a provider failure: an SDK's error can carry the request it made (with the
 * client secret's Basic header, the code and verifier in its body), so never the error object itself.
 */
export function describeFailure(failure: unknown): { name: string; status?: number | undefined } {
  const status = (failure as { code?: unknown }).code;
  return { name: failure instanceof Error ? failure.name : 'unknown', status: typeof status === 'number' ? status : undefined };
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
