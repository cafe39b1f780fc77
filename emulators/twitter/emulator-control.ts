import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRoutes, handleControlRequest as handleSharedControlRequest, requestCounterRoutes } from '../shared/emulator-control.ts';
import type { FaultControl } from '../shared/faults.ts';
import type { RequestCounter } from '../shared/request-counter.ts';
import type { RateLimiter, WindowPeriod } from './rate-limits.ts';
import type { Store } from './store.ts';
import { mintUserToken, USER_TOKEN_LIFETIME_SECONDS } from './user-token.ts';

export { CONTROL_PREFIX } from '../shared/emulator-control.ts';

/**
 * For tests that run the emulator in another process:
 * - `GET /_emulator/requests`: request counts by operation; `DELETE` resets them.
 * - `POST /_emulator/rate-limits` with `{ "spend": "GET /2/users/:id/tweets" }`: that endpoint answers 429
 *   until its 15-minute window resets; with `"window": "24hour"` its 24-hour caps are spent instead (the
 *   15-minute headers keep showing room); `GET` shows the open windows; `DELETE` restores every limit.
 * - `POST /_emulator/oauth2/token` with `{ "username": "ada_builds" }` (or `"userId"`) and optionally
 *   `"expiresInSeconds"` (default 7200; 0 or less gives an expired token): an OAuth 2.0 user-context token
 *   in X's token-endpoint shape (`token_type`, `access_token`, `expires_in`, `scope`), plus `expires_at`.
 * - `POST /_emulator/clock` with `{ "advanceSeconds": 7200 }`: moves the emulator's clock forward (user tokens
 *   expire, rate-limit windows reset), for tests of what happens two hours later; `GET` shows it.
 * - `POST`/`GET`/`DELETE /_emulator/faults`: fault injection (see shared/faults.ts).
 */
export function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  {
    counter,
    rateLimits,
    faults,
    store,
    clock,
    advanceClock,
  }: { counter: RequestCounter; rateLimits: RateLimiter; faults: FaultControl; store: Store; clock: () => number; advanceClock: (seconds: number) => void },
): Promise<void> {
  return handleSharedControlRequest(req, res, {
    ...requestCounterRoutes(counter),
    ...faultRoutes(faults),
    'GET rate-limits': () => ({ status: 200, json: rateLimits.snapshot() }),
    'DELETE rate-limits': () => {
      rateLimits.reset();
      return undefined;
    },
    'POST rate-limits': (body) => {
      const problem = spendFromBody(body, rateLimits);
      return problem === undefined ? undefined : { status: 400, json: { error: problem } };
    },
    'POST oauth2/token': (body) => issueToken(body, store, clock()),
    'GET clock': () => ({ status: 200, json: { now: new Date(clock()).toISOString() } }),
    'POST clock': (body) => {
      const seconds = numberField(body, 'advanceSeconds');
      if (seconds === undefined || seconds < 0) return { status: 400, json: { error: 'expected {"advanceSeconds": <seconds, 0 or more>}' } };
      advanceClock(seconds);
      return { status: 200, json: { now: new Date(clock()).toISOString() } };
    },
  });
}

const TOKEN_SCOPE = 'tweet.read tweet.write users.read offline.access';

function issueToken(body: string, store: Store, nowMs: number): { status: number; json: unknown } {
  const usage = 'expected a JSON body such as {"username": "ada_builds", "expiresInSeconds": 7200}';
  let spec: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== 'object') return { status: 400, json: { error: usage } };
    spec = parsed as Record<string, unknown>;
  } catch {
    return { status: 400, json: { error: usage } };
  }
  const { username, userId, expiresInSeconds = USER_TOKEN_LIFETIME_SECONDS } = spec;
  const user = typeof username === 'string' ? store.userByUsername(username) : typeof userId === 'string' ? store.user(userId) : undefined;
  if (!user) return { status: 400, json: { error: `no such user: ${JSON.stringify(username ?? userId ?? null)}; ${usage}` } };
  if (typeof expiresInSeconds !== 'number' || !Number.isFinite(expiresInSeconds)) return { status: 400, json: { error: 'expiresInSeconds must be a number' } };
  const token = mintUserToken(user.id, { nowMs, expiresInSeconds });
  return {
    status: 200,
    json: {
      token_type: 'bearer',
      access_token: token.accessToken,
      expires_in: Math.max(0, Math.round(expiresInSeconds)),
      scope: TOKEN_SCOPE,
      expires_at: new Date(token.expiresAtMs).toISOString(),
    },
  };
}

/** Spends the window a JSON body names; returns what is wrong with the body, if anything. */
function spendFromBody(body: string, rateLimits: RateLimiter): string | undefined {
  let spec: unknown;
  try {
    spec = JSON.parse(body);
  } catch {
    return 'expected a JSON body such as {"spend": "GET /2/users/:id/tweets"}';
  }
  const fields = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : {};
  const endpoint = fields['spend'];
  const window = fields['window'] ?? '15min';
  if (typeof endpoint !== 'string') return 'expected {"spend": "<operation>"}, e.g. {"spend": "GET /2/users/:id/tweets"}';
  if (window !== '15min' && window !== '24hour') return 'window must be "15min" or "24hour"';
  try {
    rateLimits.spend(endpoint, window satisfies WindowPeriod);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function numberField(body: string, name: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const value = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[name] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
