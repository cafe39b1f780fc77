import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import type { Clock } from './clock.ts';
import { cloneObject } from './clone.ts';
import { createFaults, type FaultControl } from './faults.ts';
import { loadSeed } from './fixtures/load-seed.ts';
import { createRequestHandler } from './handle-request.ts';
import { IdempotencyStore } from './idempotency.ts';
import { IdGenerator } from './ids.ts';
import { Store } from './store.ts';
import { WebhookDelivery, type WebhookEndpoint } from './webhook-delivery.ts';

export type { RequestCounter } from '../shared/request-counter.ts';
export type { FaultControl, FaultSnapshot } from './faults.ts';
export type { WebhookEndpoint } from './webhook-delivery.ts';

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
  const faults = createFaults();
  const delivery = new WebhookDelivery({ clock });
  const lifetime = new AbortController();

  const server = createServer(
    createRequestHandler({
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
    }),
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      lifetime.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, delivery.close()]);
    })();
    return closing;
  };

  try {
    const port = await listen(server, options.port ?? 0, host);
    return {
      url: endpointUrl(host, port),
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

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The wildcard hosts are reached through loopback. */
function reachableHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

/** IPv6 literals need brackets in a URL. */
function endpointUrl(host: string, port: number): string {
  const reachable = reachableHost(host);
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
