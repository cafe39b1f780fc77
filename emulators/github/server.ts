import { createServer } from 'node:http';
import { closeOnce, closeServer, endpointUrl, listen } from '../shared/http-server.ts';
import { FaultInjector, type FaultControl, type FaultProfile } from '../shared/faults.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { TokenRegistry } from './auth.ts';
import { githubSchema } from './github-schema.ts';
import { createRequestHandler } from './handle-request.ts';
import { DEFAULT_POINTS_PER_HOUR, RateLimitWindows, type RateLimitControl, type RateLimitWindow, type SecondaryRateLimit } from './rate-limit.ts';
import { createStore } from './store.ts';
import { WebhookDelivery, type WebhookEndpoint } from './webhook-delivery.ts';
import type { OAuthAuthority, OAuthClient } from '../shared/oauth-authority.ts';
import { createGitHubOAuth, GITHUB_EMULATOR_OAUTH_CLIENT, userTokenGrant } from './oauth.ts';

export type { FaultControl, FaultProfile, FaultStatus } from '../shared/faults.ts';
export type { RequestCounter } from '../shared/request-counter.ts';
export type { RateLimitControl, SecondaryRateLimit } from './rate-limit.ts';
export type { WebhookEndpoint } from './webhook-delivery.ts';
export { GITHUB_EMULATOR_OAUTH_CLIENT, GITHUB_OAUTH_PATHS, REFRESH_TOKEN_LIFETIME_SECONDS, USER_TOKEN_LIFETIME_SECONDS } from './oauth.ts';

export interface GitHubEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Default DEFAULT_GITHUB_EMULATOR_TOKEN. Requests must send `Authorization: bearer <token>` (or
   * `token <token>`); others get GitHub's 401. The token belongs to the first seeded user (the viewer)
   * and has the scopes `repo`, `read:org` and `read:user`; `createToken` makes others.
   */
  token?: string;
  /** When set, stars and new issues are POSTed there as `star`/`issues` events, signed with `secret`. */
  webhook?: WebhookEndpoint;
  /** Default true: the users, organizations, repositories and issues of fixtures/seed.ts. */
  seed?: boolean;
  /** Milliseconds clock, default Date.now: dates stars and new issues, and drives the rate-limit window. */
  now?: () => number;
  /** The GraphQL budget per hour of each user (every token acting for them), default 5,000 like GitHub's. */
  pointsPerHour?: number;
  /**
   * A fault profile in force from the start (see shared/faults.ts); `faults.setProfile` changes it later.
   * Fault operations: `POST /graphql`, and `mutation addStar`… for each mutation field; mutations are the writes.
   * A rate-limit fault is a secondary rate limit (see `secondaryRateLimitStatus`).
   */
  faults?: FaultProfile;
  /** How secondary rate limits are answered: 403 (default, as GitHub mostly does) or 200 with `errors`. */
  secondaryRateLimitStatus?: 200 | 403;
  /** OAuth apps it knows (default: GITHUB_EMULATOR_OAUTH_CLIENT, which accepts loopback callbacks). */
  oauthClients?: readonly OAuthClient[];
}

export interface GitHubEmulator {
  /** Base URL, e.g. http://127.0.0.1:54321: `graphql.defaults({ baseUrl: url })` posts to `${url}/graphql`. */
  url: string;
  token: string;
  /** `POST /graphql` once per HTTP request (refused ones included), plus `mutation addStar` etc. per mutation field run. */
  requests: RequestCounter;
  /** The primary window of the emulator's own token's user (the seed's viewer): what `token` spends. */
  rateLimit: RateLimitControl;
  /**
   * The window of the user `login` (case-insensitive): what their `ghu_` tokens spend, separate from every
   * other user's, as GitHub keeps one per user. Throws for a login not seeded.
   */
  rateLimitOf(login: string): RateLimitControl;
  /** How secondary rate limits are answered; change `status` at any time (also `/_emulator/secondary-rate-limit`). */
  secondaryRateLimit: SecondaryRateLimit;
  /**
   * A new token of the viewer with exactly these OAuth scopes (also `POST /_emulator/tokens`): a mutation
   * sent with a token lacking `public_repo` (or `repo`) gets GitHub's `INSUFFICIENT_SCOPES` error.
   */
  createToken(scopes: readonly string[]): string;
  /** Fault injection: a profile and one-shot faults; also over HTTP at `/_emulator/faults`. */
  faults: FaultControl;
  /**
   * The OAuth server (`/login/oauth/authorize`, `/login/oauth/access_token`, `DELETE /applications/{client_id}/grant`);
   * its `ghu_` tokens act as the user who approved, until they expire (8 hours) or are revoked.
   */
  oauth: OAuthAuthority;
  /** Moves the emulator's clock forward (also `POST /_emulator/clock`). */
  advanceClock(seconds: number): void;
  /** Where events raised from now on are delivered; undefined stops delivery. */
  setWebhook(webhook: WebhookEndpoint | undefined): void;
  /** Closes the server and its sockets and waits (briefly) for webhook deliveries in flight. */
  close(): Promise<void>;
}

export const DEFAULT_GITHUB_EMULATOR_TOKEN = 'ghp_emulator';

/**
 * GitHub's GraphQL API for offline work and tests, spoken through `@octokit/graphql`: queries run with
 * graphql-js against GitHub's published schema, so anything GitHub would reject is rejected here (with
 * GitHub's error shapes), over deterministic seed data; rate-limit headers and points, primary and
 * secondary rate limits as GitHub answers them, token scopes, and signed `star`/`issues` webhooks.
 */
export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? DEFAULT_GITHUB_EMULATOR_TOKEN;
  const baseClock = options.now ?? Date.now;
  let offsetMs = 0;
  const now = () => baseClock() + offsetMs;
  const advanceClock = (seconds: number) => {
    offsetMs += seconds * 1000;
  };
  let webhook = options.webhook ? { ...options.webhook } : undefined;

  githubSchema(); // built now, once per process, rather than on the first request
  const store = createStore(options.seed ?? true);
  const counter = createRequestCounter();
  const rateLimits = new RateLimitWindows(options.pointsPerHour ?? DEFAULT_POINTS_PER_HOUR, now);
  // The app token's window opens with the emulator, as it always has; users' open with their first request.
  rateLimits.of(store.viewer.login);
  const delivery = new WebhookDelivery();
  const faults = new FaultInjector(options.faults);
  const oauth = createGitHubOAuth(store, now, options.oauthClients ?? [GITHUB_EMULATOR_OAUTH_CLIENT]);
  const tokens = new TokenRegistry(token, undefined, (presented) => userTokenGrant(oauth, presented, now()));
  const secondaryRateLimit: SecondaryRateLimit = { status: options.secondaryRateLimitStatus ?? 403 };

  const server = createServer(
    createRequestHandler({ tokens, secondaryRateLimit, store, counter, rateLimits, now, webhook: () => webhook, delivery, faults, oauth, advanceClock }),
  );

  const close = closeOnce(async () => {
    faults.close();
    await Promise.all([closeServer(server), delivery.close()]);
  });

  try {
    const port = await listen(server, options.port ?? 0, host);
    return {
      url: endpointUrl(host, port),
      token,
      requests: counter,
      rateLimit: rateLimitControl(rateLimits.of(store.viewer.login)),
      rateLimitOf(login) {
        const user = store.user(login);
        if (!user) throw new Error(`the GitHub emulator has no user ${login}`);
        return rateLimitControl(rateLimits.of(user.login));
      },
      secondaryRateLimit,
      createToken: (scopes) => tokens.create(scopes),
      faults,
      oauth,
      advanceClock,
      setWebhook(next) {
        webhook = next ? { ...next } : undefined;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The part of a window tests may drive. */
function rateLimitControl(window: RateLimitWindow): RateLimitControl {
  return {
    remaining: () => window.remaining(),
    spend: (points) => window.spend(points),
    reset: () => window.reset(),
  };
}
