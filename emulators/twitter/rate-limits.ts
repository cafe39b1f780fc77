import type { Caller } from './auth.ts';

/** X's access tiers (Enterprise, with negotiated limits, is not modelled). */
export const X_TIERS = ['free', 'basic', 'pro'] as const;
export type XTier = (typeof X_TIERS)[number];
export const DEFAULT_X_TIER: XTier = 'basic';

/**
 * One endpoint's caps at one tier: requests per 15 minutes and per 24 hours, per app (app-only bearer
 * calls; the 24-hour app cap counts every call the app makes, user-context ones included) and per user
 * (user-context calls, counted for each user).
 */
export interface EndpointCaps {
  readonly app15?: number;
  readonly user15?: number;
  readonly appDay?: number;
  readonly userDay?: number;
}

/**
 * Where a tier's cap is per 24 hours, the 15-minute window (`x-rate-limit-*`) is X's standard one for the
 * endpoint (users lookups 300 per app / 900 per user, `users/me` 75, posting 200, deleting 50): X sends
 * both, and a 24-hour cap can be spent while the 15-minute window still has room.
 */
const USERS_LOOKUP = ['GET /2/users', 'GET /2/users/by', 'GET /2/users/by/username/:username', 'GET /2/users/:id'] as const;
const TWEETS_LOOKUP = ['GET /2/tweets', 'GET /2/tweets/:id'] as const;

function table(entries: ReadonlyArray<readonly [readonly string[], EndpointCaps]>): Readonly<Record<string, EndpointCaps>> {
  return Object.fromEntries(entries.flatMap(([endpoints, caps]) => endpoints.map((endpoint) => [endpoint, caps])));
}

/**
 * X's published per-tier limits for the endpoints the subgraph calls (developer.x.com "Rate limits",
 * X API v2 Free / Basic / Pro tables).
 */
export const TIER_RATE_LIMITS: Readonly<Record<XTier, Readonly<Record<string, EndpointCaps>>>> = {
  free: table([
    [USERS_LOOKUP.filter((e) => e !== 'GET /2/users/by/username/:username'), { app15: 300, user15: 900, appDay: 1, userDay: 1 }],
    [['GET /2/users/by/username/:username'], { app15: 3, user15: 3 }],
    [['GET /2/users/me'], { user15: 75, userDay: 25 }],
    [['GET /2/users/:id/tweets'], { app15: 1, user15: 1 }],
    [TWEETS_LOOKUP, { app15: 1, user15: 1 }],
    [['GET /2/tweets/search/recent'], { app15: 1, user15: 1 }],
    [['POST /2/tweets'], { user15: 200, appDay: 17, userDay: 17 }],
    [['DELETE /2/tweets/:id'], { user15: 50, userDay: 17 }],
  ]),
  basic: table([
    [USERS_LOOKUP, { app15: 300, user15: 900, appDay: 500, userDay: 100 }],
    [['GET /2/users/me'], { user15: 75, userDay: 100 }],
    [['GET /2/users/:id/tweets'], { app15: 10, user15: 5 }],
    [TWEETS_LOOKUP, { app15: 15, user15: 15 }],
    [['GET /2/tweets/search/recent'], { app15: 60, user15: 60 }],
    [['POST /2/tweets'], { user15: 200, appDay: 1_667, userDay: 100 }],
    [['DELETE /2/tweets/:id'], { user15: 5 }],
  ]),
  pro: table([
    [USERS_LOOKUP, { app15: 300, user15: 900 }],
    [['GET /2/users/me'], { user15: 75 }],
    [['GET /2/users/:id/tweets'], { app15: 1_500, user15: 900 }],
    [TWEETS_LOOKUP, { app15: 450, user15: 900 }],
    [['GET /2/tweets/search/recent'], { app15: 450, user15: 300 }],
    [['POST /2/tweets'], { user15: 100, appDay: 10_000 }],
    [['DELETE /2/tweets/:id'], { user15: 50 }],
  ]),
};

export const RATE_LIMIT_WINDOW_MS = 15 * 60_000;
export const DAY_WINDOW_MS = 24 * 60 * 60_000;

export type WindowPeriod = '15min' | '24hour';

export interface RateLimitControl {
  /**
   * Uses up a window of an endpoint (an operation name such as 'GET /2/users/:id/tweets'): by default its
   * 15-minute windows (the app's and every user's), with '24hour' its 24-hour caps (app and users).
   */
  spend(endpoint: string, period?: WindowPeriod): void;
  /** Forgets every window: each endpoint starts afresh at its full limit. */
  reset(): void;
}

/** One window, as X's headers show it; `reset` is in Unix seconds. */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  reset: number;
}

/** What one request saw: the 15-minute window and, where the endpoint has them, the 24-hour caps. */
export interface RateLimitReadings {
  window: RateLimitReading;
  appDay?: RateLimitReading;
  userDay?: RateLimitReading;
}

interface Window {
  limit: number;
  remaining: number;
  resetsAtMs: number;
}

type Scope = 'app15' | 'user15' | 'appDay' | 'userDay';

export class RateLimiter implements RateLimitControl {
  readonly #windows = new Map<string, Window>();
  /** Spent by `spend`, until: forces windows of that endpoint and period opened before then to 0. */
  readonly #spent = new Map<string, number>();
  readonly #clock: () => number;
  readonly tier: XTier;

  constructor(clock: () => number, tier: XTier = DEFAULT_X_TIER) {
    this.#clock = clock;
    this.tier = tier;
  }

  /** The caps of an endpoint at this tier, or undefined for endpoints without limits. */
  caps(endpoint: string): EndpointCaps | undefined {
    return TIER_RATE_LIMITS[this.tier][endpoint];
  }

  /**
   * Counts one request against every window that applies to it (the caller's 15-minute window, the app's
   * and the user's 24-hour caps). Refused when any is spent, then nothing is counted. A window opens with
   * the first request after the previous one ended, like X's. Undefined for endpoints without a limit for
   * this kind of caller.
   */
  take(endpoint: string, caller: Caller): { allowed: boolean; readings: RateLimitReadings } | undefined {
    const caps = this.caps(endpoint);
    if (!caps) return undefined;
    const user = caller.kind === 'user' ? caller.userId : undefined;
    const window = user === undefined ? this.#window(endpoint, 'app15', caps.app15) : this.#window(endpoint, 'user15', caps.user15, user);
    if (!window) return undefined;
    const appDay = this.#window(endpoint, 'appDay', caps.appDay);
    const userDay = user === undefined ? undefined : this.#window(endpoint, 'userDay', caps.userDay, user);
    const windows = [window, appDay, userDay].filter((w): w is Window => w !== undefined);
    const allowed = windows.every((w) => w.remaining > 0);
    if (allowed) for (const w of windows) w.remaining -= 1;
    return {
      allowed,
      readings: {
        window: reading(window),
        ...(appDay ? { appDay: reading(appDay) } : {}),
        ...(userDay ? { userDay: reading(userDay) } : {}),
      },
    };
  }

  /** The 15-minute limit a caller of `endpoint` has (for injected 429s), if any. */
  windowLimit(endpoint: string): number | undefined {
    const caps = this.caps(endpoint);
    return caps?.app15 ?? caps?.user15;
  }

  spend(endpoint: string, period: WindowPeriod = '15min'): void {
    const caps = this.caps(endpoint);
    if (!caps) {
      throw new RangeError(`no rate limit for ${JSON.stringify(endpoint)} at the ${this.tier} tier; known endpoints: ${Object.keys(TIER_RATE_LIMITS[this.tier]).join(', ')}`);
    }
    const scopes: Scope[] = period === '15min' ? ['app15', 'user15'] : ['appDay', 'userDay'];
    if (scopes.every((scope) => caps[scope] === undefined)) throw new RangeError(`${endpoint} has no ${period} cap at the ${this.tier} tier`);
    const until = this.#clock() + (period === '15min' ? RATE_LIMIT_WINDOW_MS : DAY_WINDOW_MS);
    for (const scope of scopes) {
      if (caps[scope] === undefined) continue;
      this.#spent.set(`${scope} ${endpoint}`, until);
      // Open the app's window now so that it shows as spent; users' windows are spent as they open.
      if (scope === 'app15' || scope === 'appDay') this.#window(endpoint, scope, caps[scope]);
      for (const [key, window] of this.#windows) if (key.startsWith(`${scope} ${endpoint}|`)) Object.assign(window, { remaining: 0, resetsAtMs: until });
    }
  }

  reset(): void {
    this.#windows.clear();
    this.#spent.clear();
  }

  /**
   * The open windows: the app's 15-minute ones by endpoint (`GET /2/tweets/search/recent`), the others as
   * `<endpoint> 24hour app`, `<endpoint> user <id>` and `<endpoint> 24hour user <id>`.
   */
  snapshot(): Record<string, RateLimitReading> {
    const now = this.#clock();
    const open = [...this.#windows].filter(([, window]) => window.resetsAtMs > now);
    return Object.fromEntries(open.map(([key, window]) => [displayName(key), reading(window)]));
  }

  #window(endpoint: string, scope: Scope, limit: number | undefined, userId = 'app'): Window | undefined {
    if (limit === undefined) return undefined;
    const now = this.#clock();
    const key = `${scope} ${endpoint}|${userId}`;
    let window = this.#windows.get(key);
    if (!window || window.resetsAtMs <= now) {
      const spentUntil = this.#spent.get(`${scope} ${endpoint}`);
      window =
        spentUntil !== undefined && spentUntil > now
          ? { limit, remaining: 0, resetsAtMs: spentUntil }
          : { limit, remaining: limit, resetsAtMs: now + (scope.endsWith('15') ? RATE_LIMIT_WINDOW_MS : DAY_WINDOW_MS) };
      this.#windows.set(key, window);
    }
    return window;
  }
}

function displayName(key: string): string {
  const [, scope = '', endpoint = '', owner = ''] = /^(\w+) (.*)\|(.*)$/.exec(key) ?? [];
  switch (scope) {
    case 'app15':
      return endpoint;
    case 'appDay':
      return `${endpoint} 24hour app`;
    case 'user15':
      return `${endpoint} user ${owner}`;
    default:
      return `${endpoint} 24hour user ${owner}`;
  }
}

function reading(window: Window): RateLimitReading {
  return { limit: window.limit, remaining: window.remaining, reset: Math.ceil(window.resetsAtMs / 1000) };
}

/** `x-rate-limit-*` for the 15-minute window, and X's `x-app-limit-24hour-*` / `x-user-limit-24hour-*` where they apply. */
export function rateLimitHeaders(readings: RateLimitReadings): Record<string, string> {
  const headers: Record<string, string> = {
    'x-rate-limit-limit': String(readings.window.limit),
    'x-rate-limit-remaining': String(readings.window.remaining),
    'x-rate-limit-reset': String(readings.window.reset),
  };
  for (const [prefix, day] of [['x-app-limit-24hour-', readings.appDay], ['x-user-limit-24hour-', readings.userDay]] as const) {
    if (!day) continue;
    headers[`${prefix}limit`] = String(day.limit);
    headers[`${prefix}remaining`] = String(day.remaining);
    headers[`${prefix}reset`] = String(day.reset);
  }
  return headers;
}

/** The tier named by `value` (EMULATOR_X_TIER), case-insensitive; undefined or '' is the default. */
export function parseTier(value: string | undefined, source = 'EMULATOR_X_TIER'): XTier {
  if (value === undefined || value.trim() === '') return DEFAULT_X_TIER;
  const tier = value.trim().toLowerCase();
  // Named, never quoted: the variable is checked with the rest of the configuration, which never repeats a value.
  if (!(X_TIERS as readonly string[]).includes(tier)) throw new RangeError(`${source}: expected one of ${X_TIERS.join(', ')}`);
  return tier as XTier;
}
