/**
 * Requests allowed per 15-minute window, by endpoint, as X documents them for app-only auth (reads) and
 * per user (writes, `users/me`). The emulator keeps one window per endpoint whoever calls: enough to see
 * the headers move and a 429 arrive, without modelling X's per-user buckets.
 */
export const RATE_LIMITS: Readonly<Record<string, number>> = {
  'GET /2/users': 300,
  'GET /2/users/by': 300,
  'GET /2/users/by/username/:username': 300,
  'GET /2/users/:id': 300,
  'GET /2/users/me': 75,
  'GET /2/users/:id/tweets': 1500,
  'GET /2/tweets': 450,
  'GET /2/tweets/:id': 450,
  'GET /2/tweets/search/recent': 450,
  'POST /2/tweets': 200,
  'DELETE /2/tweets/:id': 50,
};

export const RATE_LIMIT_WINDOW_MS = 15 * 60_000;

export interface RateLimitControl {
  /** Uses up the current window of an endpoint (an operation name such as 'GET /2/users/:id/tweets'). */
  spend(endpoint: string): void;
  /** Forgets every window: each endpoint starts afresh at its full limit. */
  reset(): void;
}

/** One endpoint's window, as the `x-rate-limit-*` headers show it; `reset` is in Unix seconds. */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  reset: number;
}

interface Window {
  remaining: number;
  resetsAtMs: number;
}

export class RateLimiter implements RateLimitControl {
  readonly #windows = new Map<string, Window>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /**
   * Counts one request against its endpoint's window. A window opens with the first request after the
   * previous one ended, like X's. Undefined for endpoints without a limit.
   */
  take(endpoint: string): { allowed: boolean; reading: RateLimitReading } | undefined {
    const window = this.#currentWindow(endpoint);
    if (!window) return undefined;
    const allowed = window.remaining > 0;
    if (allowed) window.remaining -= 1;
    return { allowed, reading: this.#reading(endpoint, window) };
  }

  spend(endpoint: string): void {
    const window = this.#currentWindow(endpoint);
    if (!window) {
      throw new RangeError(`no rate limit for ${JSON.stringify(endpoint)}; known endpoints: ${Object.keys(RATE_LIMITS).join(', ')}`);
    }
    window.remaining = 0;
  }

  reset(): void {
    this.#windows.clear();
  }

  /** The open windows, by endpoint. */
  snapshot(): Record<string, RateLimitReading> {
    const now = this.#clock();
    const open = [...this.#windows].filter(([, window]) => window.resetsAtMs > now);
    return Object.fromEntries(open.map(([endpoint, window]) => [endpoint, this.#reading(endpoint, window)]));
  }

  #currentWindow(endpoint: string): Window | undefined {
    const limit = RATE_LIMITS[endpoint];
    if (limit === undefined) return undefined;
    const now = this.#clock();
    let window = this.#windows.get(endpoint);
    if (!window || window.resetsAtMs <= now) {
      window = { remaining: limit, resetsAtMs: now + RATE_LIMIT_WINDOW_MS };
      this.#windows.set(endpoint, window);
    }
    return window;
  }

  #reading(endpoint: string, window: Window): RateLimitReading {
    return { limit: RATE_LIMITS[endpoint] ?? 0, remaining: window.remaining, reset: Math.ceil(window.resetsAtMs / 1000) };
  }
}

export function rateLimitHeaders(reading: RateLimitReading): Record<string, string> {
  return {
    'x-rate-limit-limit': String(reading.limit),
    'x-rate-limit-remaining': String(reading.remaining),
    'x-rate-limit-reset': String(reading.reset),
  };
}
