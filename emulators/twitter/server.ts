import { createServer } from 'node:http';
import { closeOnce, closeServer, endpointUrl, listen } from '../shared/http-server.ts';
import { FaultInjector, type FaultControl, type FaultProfile } from '../shared/faults.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { createRequestHandler } from './handle-request.ts';
import { RateLimiter, type RateLimitControl } from './rate-limits.ts';
import { Store } from './store.ts';
import { WebhookDelivery } from './webhook-delivery.ts';

export type { FaultControl, FaultProfile, FaultStatus } from '../shared/faults.ts';
export type { RequestCounter } from '../shared/request-counter.ts';
export type { RateLimitControl } from './rate-limits.ts';
export { RATE_LIMITS } from './rate-limits.ts';
export { TWITTER_EMULATOR_USER_TOKEN, userAccessToken } from './user-token.ts';

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
  /** Milliseconds clock, default Date.now: dates posted tweets and times rate-limit windows. */
  now?: () => number;
  /** A fault profile in force from the start (see shared/faults.ts); `faults.setProfile` changes it later. */
  faults?: FaultProfile;
}

export interface TwitterEmulator {
  /** E.g. http://127.0.0.1:54321: the base for `baseUrlPlugin` (subgraphs/twitter/base-url-plugin.ts). */
  url: string;
  bearerToken: string;
  consumerSecret: string;
  /** API calls received, by operation (`GET /2/users/:id/tweets`, `POST /2/tweets`…), refused ones included. */
  requests: RequestCounter;
  rateLimits: RateLimitControl;
  /** Fault injection: a profile and one-shot faults; also over HTTP at `/_emulator/faults`. */
  faults: FaultControl;
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
 * client: user and tweet lookups with fields and expansions, user timelines, recent search, posting and
 * deleting, X's error bodies, per-endpoint rate limits with `x-rate-limit-*` headers, and signed Account
 * Activity webhooks.
 *
 * Credentials (see auth.ts): the app bearer token reads; `Bearer user-<user id>` (`userAccessToken(id)`)
 * or an OAuth 1.0a header whose `oauth_token` starts with `<user id>-` acts as that user and may post.
 */
export async function startTwitterEmulator(options: TwitterEmulatorOptions = {}): Promise<TwitterEmulator> {
  const host = options.host ?? '127.0.0.1';
  const bearerToken = options.bearerToken ?? DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN;
  const consumerSecret = options.consumerSecret ?? DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET;
  const clock = options.now ?? Date.now;
  let webhook = options.webhook ? { ...options.webhook } : undefined;

  const store = options.seed ?? true ? Store.seeded() : new Store();
  const counter = createRequestCounter();
  const rateLimits = new RateLimiter(clock);
  const faults = new FaultInjector(options.faults);
  const delivery = new WebhookDelivery({ consumerSecret });

  const server = createServer(
    createRequestHandler({
      bearerToken,
      store,
      clock,
      counter,
      rateLimits,
      faults,
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
      rateLimits: { spend: (endpoint) => rateLimits.spend(endpoint), reset: () => rateLimits.reset() },
      faults,
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
