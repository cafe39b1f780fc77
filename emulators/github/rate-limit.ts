/** GitHub's GraphQL budget for a user token: 5,000 points an hour. */
export const DEFAULT_POINTS_PER_HOUR = 5_000;
const WINDOW_MS = 3_600_000;

/**
 * How the emulator answers a secondary rate limit (injected by a fault profile's `rateLimitRate` or a
 * one-shot `rateLimit`): GitHub mostly sends 403, sometimes 200 with `errors`.
 */
export interface SecondaryRateLimit {
  status: 200 | 403;
}

export interface RateLimitControl {
  /** Points left in the current window. */
  remaining(): number;
  /** Takes `points` from the window; with no argument empties it. */
  spend(points?: number): void;
  /** A fresh, full window starting now. */
  reset(): void;
}

/**
 * The primary GraphQL rate limit of one identity: a fixed one-hour window that starts with its first
 * request (or the last reset) and refills when it ends, as GitHub's does.
 */
export class RateLimitWindow implements RateLimitControl {
  readonly limit: number;
  readonly #now: () => number;
  #startedAt: number;
  #remaining: number;

  constructor(limit: number, now: () => number) {
    this.limit = limit;
    this.#now = now;
    this.#startedAt = now();
    this.#remaining = limit;
  }

  remaining(): number {
    this.#roll();
    return this.#remaining;
  }

  used(): number {
    return this.limit - this.remaining();
  }

  spend(points?: number): void {
    this.#roll();
    this.#remaining = points === undefined ? 0 : Math.max(0, this.#remaining - points);
  }

  /** Sets what is left of the current window (the control endpoint's `{"remaining": n}`). */
  setRemaining(points: number): void {
    this.#roll();
    this.#remaining = Math.min(Math.max(0, Math.floor(points)), this.limit);
  }

  reset(): void {
    this.#startedAt = this.#now();
    this.#remaining = this.limit;
  }

  /** When the window refills, in Unix seconds (`x-ratelimit-reset`). */
  resetAtSeconds(): number {
    this.#roll();
    return Math.ceil((this.#startedAt + WINDOW_MS) / 1000);
  }

  /** GitHub's rate-limit headers, sent with every GraphQL response. */
  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining()),
      'x-ratelimit-reset': String(this.resetAtSeconds()),
      'x-ratelimit-used': String(this.used()),
      'x-ratelimit-resource': 'graphql',
    };
  }

  #roll(): void {
    const now = this.#now();
    if (now >= this.#startedAt + WINDOW_MS) {
      // As on GitHub, the next window opens with the first request after the last one closed.
      this.#startedAt = now;
      this.#remaining = this.limit;
    }
  }
}

/**
 * GitHub keeps one window per user: every token acting for a user (their classic tokens, an app's `ghu_`
 * user-to-server tokens) spends that user's window, and nobody else's. Keyed by login, case-insensitively
 * as GitHub treats logins; a window opens with its user's first request. The emulator only issues tokens
 * for seeded users, so the map is as small as the seed.
 */
export class RateLimitWindows {
  readonly limit: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, RateLimitWindow>();

  constructor(limit: number, now: () => number) {
    this.limit = limit;
    this.#now = now;
  }

  /** The window of the user `login`, opened (full) if they have not called yet. */
  of(login: string): RateLimitWindow {
    const key = login.toLowerCase();
    const existing = this.#windows.get(key);
    if (existing) return existing;
    const opened = new RateLimitWindow(this.limit, this.#now);
    this.#windows.set(key, opened);
    return opened;
  }
}
