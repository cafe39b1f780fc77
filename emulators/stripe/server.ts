import { createServer } from 'node:http';
import type Stripe from 'stripe';
import { closeOnce, closeServer, endpointUrl, listen, reachableHost } from '../shared/http-server.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { FaultInjector, type FaultControl, type FaultProfile } from '../shared/faults.ts';
import type { Clock } from './clock.ts';
import { cloneObject } from './clone.ts';
import { loadSeed } from './fixtures/load-seed.ts';
import { createRequestHandler, type RequestHandlerContext } from './handle-request.ts';
import { IdempotencyStore } from './idempotency.ts';
import { IdGenerator } from './ids.ts';
import { Store } from './store.ts';
import { runDueWork } from './run-internal.ts';
import { WEBHOOK_CHAOS_ENV, webhookChaosFromEnv, type WebhookChaos } from './webhook-chaos.ts';
import { WebhookDelivery, type WebhookEndpoint } from './webhook-delivery.ts';

export type { RequestCounter } from '../shared/request-counter.ts';
export type { FaultControl, FaultProfile, FaultSnapshot, FaultStatus } from '../shared/faults.ts';
export type { WebhookEndpoint } from './webhook-delivery.ts';
export type { WebhookChaos } from './webhook-chaos.ts';

export interface StripeEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default DEFAULT_STRIPE_EMULATOR_API_KEY. Requests with another key get Stripe's 401. */
  apiKey?: string;
  /** When set, every event is POSTed there, signed with `secret` like Stripe's webhooks. */
  webhook?: WebhookEndpoint;
  /** Default true: the customers, catalogue, payments and subscriptions of fixtures/seed.ts. */
  seed?: boolean;
  /**
   * Milliseconds clock, default Date.now. It dates new objects and events and signs webhook deliveries
   * (`t=` of Stripe-Signature): with a pinned clock, verify with `constructEvent(…, receivedAt)`.
   */
  now?: () => number;
  /** A fault profile in force from the start (see shared/faults.ts); `faults.setProfile` changes it later. */
  faults?: FaultProfile;
  /**
   * Deliver webhooks as Stripe really does: out of order, some twice, failures retried on Stripe's
   * schedule compressed in time (webhook-chaos.ts). Default: EMULATOR_STRIPE_WEBHOOK_CHAOS, else off.
   */
  webhookChaos?: WebhookChaos | undefined;
  /** How often the emulator checks for work due on its clock (a payment settling, an unpaid subscription expiring). Default 250 ms. */
  duePollMs?: number;
}

export interface StripeEmulator {
  /** E.g. http://127.0.0.1:54321. */
  url: string;
  /** For `new Stripe(apiKey, { host, port, protocol: 'http' })`. */
  host: string;
  port: number;
  apiKey: string;
  /** API calls received, by operation (`GET /v1/customers/:id`), seeding excluded. */
  requests: RequestCounter;
  /** Fault injection: a profile and one-shot faults; also over HTTP at `/_emulator/faults`. */
  faults: FaultControl;
  events: { list(): Stripe.Event[] };
  /** Where events emitted from now on are delivered; undefined stops delivery. */
  setWebhook(webhook: WebhookEndpoint | undefined): void;
  /** Closes the server and its sockets, cancels pending work and waits for deliveries in flight. */
  close(): Promise<void>;
}

export const DEFAULT_STRIPE_EMULATOR_API_KEY = 'sk_test_emulator';

/**
 * A stateful, in-memory Stripe API for offline work and tests, spoken through the real `stripe` SDK:
 * form-encoded requests, Stripe's JSON objects and errors, idempotency keys, list paging, expansion,
 * events and signed webhooks.
 */
export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? DEFAULT_STRIPE_EMULATOR_API_KEY;
  const clock: Clock = options.now ?? Date.now;
  let webhook = options.webhook ? { ...options.webhook } : undefined;

  const store = new Store();
  if (options.seed ?? true) loadSeed(store);
  const counter = createRequestCounter();
  const faults = new FaultInjector(options.faults);
  const chaos = 'webhookChaos' in options ? options.webhookChaos : webhookChaosFromEnv(process.env[WEBHOOK_CHAOS_ENV]);
  const delivery = new WebhookDelivery({ clock, chaos });
  const lifetime = new AbortController();
  let baseUrl = '';

  const context: RequestHandlerContext = {
    apiKey,
    store,
    ids: new IdGenerator(),
    clock,
    counter,
    faults,
    idempotency: new IdempotencyStore(clock),
    lifetime: lifetime.signal,
    webhook: () => webhook,
    deliver: (event, endpoint) =>
      delivery.enqueue(event, endpoint, () => {
        const stored = store.events.get(event.id);
        if (stored) store.events.replace({ ...stored, pending_webhooks: Math.max(0, stored.pending_webhooks - 1) });
      }),
    baseUrl: () => baseUrl,
  };
  const server = createServer(createRequestHandler(context));
  // Work due on the clock happens even when no request comes (its webhooks are sent on time).
  const duePoll = setInterval(() => runDueWork(context), options.duePollMs ?? 250);
  duePoll.unref();

  const close = closeOnce(async () => {
    clearInterval(duePoll);
    lifetime.abort();
    faults.close();
    await Promise.all([closeServer(server), delivery.close()]);
  });

  try {
    const port = await listen(server, options.port ?? 0, host);
    baseUrl = endpointUrl(host, port);
    return {
      url: baseUrl,
      host: reachableHost(host),
      port,
      apiKey,
      requests: counter,
      faults,
      events: { list: () => store.events.ordered().reverse().map((event) => cloneObject(event)) },
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
