import type { ITwitterApiClientPlugin, TwitterRateLimit } from 'twitter-api-v2';
import type { QuotaReading, QuotaTracker } from '../../kit/resilience/quota.ts';

/**
 * X limits each endpoint separately; ids in paths are folded (never the API version, `/2`) so that every
 * user's timeline shares its endpoint's window.
 */
export function endpointOf(method: string, url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment, index) => (index > 1 && /^\d+$/.test(segment) ? ':id' : segment))
    .join('/')
    .replace(/\/by\/username\/[^/]+$/, '/by/username/:username');
  return `${method.toUpperCase()} ${path}`;
}

/**
 * The cap that binds, of the ones an answer showed: X sends the 15-minute window (`x-rate-limit-*`) and, on
 * endpoints with daily caps, the app's and the user's 24-hour ones (`x-app-limit-24hour-*`,
 * `x-user-limit-24hour-*`; twitter-api-v2's `day` and `userDay`). A spent cap binds until it resets (the
 * latest reset when several are spent); otherwise the one with the fewest calls left.
 */
export function bindingQuota(rateLimit: TwitterRateLimit): QuotaReading {
  const caps = [rateLimit, rateLimit.day, rateLimit.userDay]
    .filter((cap): cap is NonNullable<typeof cap> => cap !== undefined && Number.isFinite(cap.remaining) && Number.isFinite(cap.reset))
    .map((cap) => ({ limit: cap.limit, remaining: cap.remaining, resetAt: cap.reset * 1000 }));
  const spent = caps.filter((cap) => cap.remaining <= 0).sort((a, b) => b.resetAt - a.resetAt);
  return spent[0] ?? caps.sort((a, b) => a.remaining - b.remaining)[0] ?? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt: rateLimit.reset * 1000 };
}

/** Where the app's own 24-hour cap of an endpoint is kept, apart from any one identity's windows. */
export const appDayResource = (endpoint: string) => `${endpoint} (app, 24 hours)`;

/**
 * Records what X's rate-limit headers said, from answers and from 429s alike, as one reading per endpoint:
 * the binding cap, so that a spent 24-hour cap stops calls until its reset even while the 15-minute window
 * has room. The app's 24-hour cap is also kept on its own (`appDayResource`), which every identity's calls
 * spend and must respect.
 */
export function quotaPlugin(quota: QuotaTracker): ITwitterApiClientPlugin {
  return readingsPlugin((endpoint, limit) => {
    quota.record(endpoint, bindingQuota(limit));
    if (limit.day) quota.record(appDayResource(endpoint), capReading(limit.day));
  });
}

/**
 * For a connected user's client: X counts user-context calls per user (the 15-minute window and the user's
 * 24-hour cap) and, for some endpoints, per app (`x-app-limit-24hour-*`). The user's caps go to the user's
 * own tracker, the app's to the app's, so one user who spends their window is refused alone.
 */
export function userQuotaPlugin(user: QuotaTracker, app: QuotaTracker): ITwitterApiClientPlugin {
  return readingsPlugin((endpoint, limit) => {
    user.record(endpoint, bindingQuota({ ...limit, day: undefined }));
    if (limit.day) app.record(appDayResource(endpoint), capReading(limit.day));
  });
}

/** Before a connected user's call: their own windows, and the app's 24-hour cap that all calls share. */
export function userAndAppQuota(user: QuotaTracker, app: QuotaTracker): Pick<QuotaTracker, 'assertAvailable'> {
  return {
    assertAvailable(resource) {
      user.assertAvailable(resource);
      app.assertAvailable(appDayResource(resource));
    },
  };
}

const capReading = (cap: { limit: number; remaining: number; reset: number }): QuotaReading => ({ limit: cap.limit, remaining: cap.remaining, resetAt: cap.reset * 1000 });

function readingsPlugin(record: (endpoint: string, limit: TwitterRateLimit) => void): ITwitterApiClientPlugin {
  return {
    onAfterRequest({ url, params, response }) {
      if (response.rateLimit) record(endpointOf(params.method ?? 'GET', url), response.rateLimit);
    },
    onResponseError({ url, params, error }) {
      if (error.rateLimit) record(endpointOf(params.method ?? 'GET', url), error.rateLimit);
    },
  };
}
