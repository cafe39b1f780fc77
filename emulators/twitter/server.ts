import { createServer } from 'node:http';
import { closeOnce, closeServer, endpointUrl, listen } from '../shared/http-server.ts';
import { FaultInjector, type FaultControl, type FaultProfile } from '../shared/faults.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { createRequestHandler } from './handle-request.ts';
import { parseTier, RateLimiter, type RateLimitControl, type XTier } from './rate-limits.ts';
import { mintUserToken, type IssuedUserToken } from './user-token.ts';
import { Store } from './store.ts';
import type { OAuthAuthority, OAuthClient } from '../shared/oauth-authority.ts';
import { createXOAuth, TWITTER_EMULATOR_OAUTH_CLIENT } from './oauth.ts';
import { WebhookDelivery } from './webhook-delivery.ts';

export type { FaultControl, FaultProfile, FaultStatus } from '../shared/faults.ts';
export type { RequestCounter } from '../shared/request-counter.ts';
export type { RateLimitControl } from './rate-limits.ts';
export { DEFAULT_X_TIER, TIER_RATE_LIMITS, X_TIERS, type XTier } from './rate-limits.ts';
export { TWITTER_EMULATOR_OAUTH_CLIENT, X_OAUTH_PATHS } from './oauth.ts';
export { mintUserToken, TWITTER_EMULATOR_USER_TOKEN, USER_TOKEN_LIFETIME_SECONDS, userAccessToken } from './user-token.ts';

export interface TwitterEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The app-only bearer token; default DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN. Other tokens get X's 401. */
  bearerToken?: string;
  /**
   * The app's consumer secret, default DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET. Signs webhook deliveries;
   * a receiver answers X's CRC with it too (`crcResponseToken` in webhook-signature.ts).
   */
  consumerSecret?: string;
  /** Where Account Activity events (tweets posted and deleted through the API) are POSTed. */
  webhook?: { url: string };
  /** Default true: the ten users and their tweets of fixtures/seed.ts. */
  seed?: boolean;
  /**
   * Milliseconds clock, default Date.now: dates posted tweets, anchors the seed (its newest posts are from
   * the day before), times rate-limit windows and expires user tokens.
   */
  now?: () => number;
  /** X access tier whose rate limits apply: 'free', 'basic' or 'pro'. Default: EMULATOR_X_TIER, else 'basic'. */
  tier?: XTier;
  /** A fault profile in force from the start (see shared/faults.ts); `faults.setProfile` changes it later. */
  faults?: FaultProfile;
  /** OAuth 2.0 apps it knows (default: TWITTER_EMULATOR_OAUTH_CLIENT, which accepts loopback callbacks). */
  oauthClients?: readonly OAuthClient[];
}

export interface TwitterEmulator {
  /** E.g. http://127.0.0.1:54321: the base for `baseUrlPlugin` (subgraphs/twitter/base-url-plugin.ts). */
  url: string;
  bearerToken: string;
  consumerSecret: string;
  /** API calls received, by operation (`GET /2/users/:id/tweets`, `POST /2/tweets`…), refused ones included. */
  requests: RequestCounter;
  rateLimits: RateLimitControl;
  /** The access tier whose limits apply. */
  tier: XTier;
  /**
   * An OAuth 2.0 user-context token for a user (id), dated by the emulator's clock: valid for
   * `expiresInSeconds` (default 7200, X's lifetime; 0 or less: already expired).
   */
  mintUserToken(userId: string, options?: { expiresInSeconds?: number }): IssuedUserToken;
  /** Fault injection: a profile and one-shot faults; also over HTTP at `/_emulator/faults`. */
  faults: FaultControl;
  /** The OAuth 2.0 authorization server (`/i/oauth2/authorize`, `/2/oauth2/token`, `/2/oauth2/revoke`). */
  oauth: OAuthAuthority;
  /** Moves the emulator's clock forward (also `POST /_emulator/clock`). */
  advanceClock(seconds: number): void;
  /** Where events raised from now on are delivered; undefined stops delivery. */
  setWebhook(webhook: { url: string } | undefined): void;
  /** Closes the server and its sockets and abandons webhook deliveries still pending. */
  close(): Promise<void>;
}

export const DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN = 'twitter-emulator-bearer';

/**
 * Public on purpose: it only ever signs the emulator's own webhook deliveries on a developer's machine.
 */
export const DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET = 'twitter-emulator-consumer-secret-local-development-only';

/**
 * A stateful, in-memory X API v2 for offline work and tests, spoken through the real `twitter-api-v2`
 * client: user and tweet lookups with fields and expansions, user timelines, recent search (last seven days),
 * posting and deleting, X's error bodies, per-endpoint rate limits of an access tier with `x-rate-limit-*`
 * and 24-hour `x-app-limit-24hour-*` / `x-user-limit-24hour-*` headers, and signed Account Activity webhooks.
 *
 * Credentials (see auth.ts): the app bearer token reads; an OAuth 2.0 user token (`userAccessToken(id)`,
 * `emulator.mintUserToken`, `POST /_emulator/oauth2/token`; they expire after two hours) or an OAuth 1.0a
 * header whose `oauth_token` starts with `<user id>-` acts as that user and may post.
 */
export async function startTwitterEmulator(options: TwitterEmulatorOptions = {}): Promise<TwitterEmulator> {
  const host = options.host ?? '127.0.0.1';
  const bearerToken = options.bearerToken ?? DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN;
  const consumerSecret = options.consumerSecret ?? DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET;
  const baseClock = options.now ?? Date.now;
  let offsetMs = 0;
  const clock = () => baseClock() + offsetMs;
  const advanceClock = (seconds: number) => {
    offsetMs += seconds * 1000;
  };
  let webhook = options.webhook ? { ...options.webhook } : undefined;

  const tier = options.tier ?? parseTier(process.env['EMULATOR_X_TIER']);
  const store = options.seed ?? true ? Store.seeded(clock()) : new Store();
  const counter = createRequestCounter();
  const rateLimits = new RateLimiter(clock, parseTier(tier, 'tier'));
  const faults = new FaultInjector(options.faults);
  const delivery = new WebhookDelivery({ consumerSecret });
  const oauth = createXOAuth(store, clock, options.oauthClients ?? [TWITTER_EMULATOR_OAUTH_CLIENT]);

  const server = createServer(
    createRequestHandler({
      bearerToken,
      store,
      clock,
      counter,
      rateLimits,
      faults,
      oauth,
      advanceClock,
      deliver: (activity) => {
        if (webhook) delivery.enqueue(activity, webhook.url);
      },
    }),
  );

  const close = closeOnce(async () => {
    faults.close();
    await Promise.all([closeServer(server), delivery.close()]);
  });

  try {
    const port = await listen(server, options.port ?? 0, host);
    return {
      url: endpointUrl(host, port),
      bearerToken,
      consumerSecret,
      requests: counter,
      rateLimits: { spend: (endpoint, period) => rateLimits.spend(endpoint, period), reset: () => rateLimits.reset() },
      tier: rateLimits.tier,
      mintUserToken: (userId, mint) => mintUserToken(userId, { nowMs: clock(), ...mint }),
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
