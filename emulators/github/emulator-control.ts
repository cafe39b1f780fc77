import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes, type ControlReply } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { TokenRegistry } from './auth.ts';
import type { RateLimitWindow, RateLimitWindows, SecondaryRateLimit } from './rate-limit.ts';
import type { Store } from './store.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limit` with `{"remaining": 0}` sets what is left of the window; `DELETE`
 *   starts a fresh, full window; `GET` shows the window. Each user has their own window (as on GitHub):
 *   these act on the app token's user's unless `?login=<user>` names another (404 for a login not seeded).
 * - `POST`/`GET`/`DELETE /_emulator/faults`: fault injection (see shared/faults.ts); a rate-limit fault
 *   is a secondary rate limit.
 * - `POST /_emulator/secondary-rate-limit` with `{"status": 200}` or `{"status": 403}` (the default):
 *   how secondary rate limits are answered; `GET` shows it.
 * - `POST /_emulator/tokens` with `{"scopes": ["read:user"]}`: a new token of the viewer with exactly
 *   those scopes, answered `201 {"token": "ghp_…", "scopes": [...]}`.
 * - `POST /_emulator/clock` with `{"advanceSeconds": 28800}`: moves the emulator's clock forward (user access
 *   tokens expire after 8 hours, the rate-limit window resets), for tests of what happens later; `GET` shows it.
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  {
    counter,
    rateLimits,
    store,
    faults,
    tokens,
    secondaryRateLimit,
    now,
    advanceClock,
  }: {
    counter: RequestCounter;
    rateLimits: RateLimitWindows;
    store: Store;
    faults: FaultControl;
    tokens: TokenRegistry;
    secondaryRateLimit: SecondaryRateLimit;
    now: () => number;
    advanceClock: (seconds: number) => void;
  },
): Promise<void> {
  const withWindow = (query: URLSearchParams, act: (window: RateLimitWindow) => ControlReply): ControlReply => {
    const login = windowLogin(query, store);
    return login === undefined ? { status: 404, json: { error: `no user ${query.get('login') ?? ''}` } } : act(rateLimits.of(login));
  };
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    ...faultRoutes(faults),
    'GET rate-limit': (_body, query) =>
      withWindow(query, (rateLimit) => ({
        status: 200,
        json: { limit: rateLimit.limit, remaining: rateLimit.remaining(), used: rateLimit.used(), reset: rateLimit.resetAtSeconds() },
      })),
    'DELETE rate-limit': (_body, query) =>
      withWindow(query, (rateLimit) => {
        rateLimit.reset();
        return undefined;
      }),
    'POST rate-limit': (body, query) => {
      const remaining = remainingFrom(body);
      if (remaining === undefined) return { status: 400, json: { error: 'expected a JSON body such as {"remaining": 0}' } };
      return withWindow(query, (rateLimit) => {
        rateLimit.setRemaining(remaining);
        return undefined;
      });
    },
    'GET secondary-rate-limit': () => ({ status: 200, json: { status: secondaryRateLimit.status } }),
    'POST secondary-rate-limit': (body) => {
      const status = jsonField(body, 'status');
      if (status !== 200 && status !== 403) return { status: 400, json: { error: 'expected a JSON body such as {"status": 200} (200 or 403)' } };
      secondaryRateLimit.status = status;
      return undefined;
    },
    'GET clock': () => ({ status: 200, json: { now: new Date(now()).toISOString() } }),
    'POST clock': (body) => {
      const seconds = jsonField(body, 'advanceSeconds');
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return { status: 400, json: { error: 'expected {"advanceSeconds": <seconds, 0 or more>}' } };
      advanceClock(seconds);
      return { status: 200, json: { now: new Date(now()).toISOString() } };
    },
    'POST tokens': (body) => {
      const scopes = jsonField(body, 'scopes');
      if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string' && scope !== '')) {
        return { status: 400, json: { error: 'expected a JSON body such as {"scopes": ["read:user"]}' } };
      }
      return { status: 201, json: { token: tokens.create(scopes as string[]), scopes } };
    },
  });
}

/** Whose window a rate-limit control request means: `?login=`'s user when seeded, by default the app token's. */
function windowLogin(query: URLSearchParams, store: Store): string | undefined {
  const login = query.get('login');
  return login === null ? store.viewer.login : store.user(login)?.login;
}

function jsonField(body: string, name: string): unknown {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
  } catch {
    return undefined;
  }
}

function remainingFrom(body: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const remaining = typeof parsed === 'object' && parsed !== null ? (parsed as { remaining?: unknown }).remaining : undefined;
    return typeof remaining === 'number' && Number.isFinite(remaining) && remaining >= 0 ? remaining : undefined;
  } catch {
    return undefined;
  }
}
