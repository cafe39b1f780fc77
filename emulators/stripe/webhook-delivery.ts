import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type Stripe from 'stripe';
import { unixSeconds, type Clock } from './clock.ts';
import { stripeSignatureHeader } from './webhook-signature.ts';

export interface WebhookEndpoint {
  url: string;
  /** The endpoint's signing secret (`whsec_…`). */
  secret: string;
}

export interface WebhookDeliveryOptions {
  clock: Clock;
  /** Pauses before the 2nd, 3rd… attempt. Default: two retries, after 100 ms and 400 ms. */
  retryDelaysMs?: readonly number[];
  /** Per attempt. Default 5 s. */
  timeoutMs?: number;
}

interface Delivery {
  event: Stripe.Event;
  endpoint: WebhookEndpoint;
  onDelivered: () => void;
}

/**
 * POSTs events to a webhook endpoint, signed like Stripe's, one at a time in the order they happened,
 * off the API's path. A failed attempt (connection error, timeout, non-2xx) is retried a bounded number
 * of times; after that the event is dropped (`pending_webhooks` stays 1, as on Stripe).
 */
export class WebhookDelivery {
  readonly #queue: Delivery[] = [];
  readonly #clock: Clock;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  readonly #pendingPauses = new Set<() => void>();
  #draining: Promise<void> | undefined;
  #closing = false;

  constructor(options: WebhookDeliveryOptions) {
    this.#clock = options.clock;
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 400];
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  enqueue(event: Stripe.Event, endpoint: WebhookEndpoint, onDelivered: () => void): void {
    if (this.#closing) return;
    this.#queue.push({ event, endpoint, onDelivered });
    this.#draining ??= this.#drain();
  }

  /**
   * Stops retrying and accepting events, lets every queued event have its one attempt, then closes the
   * connections.
   */
  async close(): Promise<void> {
    this.#closing = true;
    for (const wake of this.#pendingPauses) wake();
    await this.#draining;
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        await this.#deliver(next);
      }
    } finally {
      // Synchronous with the empty-queue check above: an event enqueued later starts a new drain.
      this.#draining = undefined;
    }
  }

  async #deliver(delivery: Delivery): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (await this.#attempt(delivery)) {
        delivery.onDelivered();
        return;
      }
      const delay = this.#retryDelaysMs[attempt];
      if (delay === undefined || this.#closing) return;
      await this.#pause(delay);
    }
  }

  /** One signed POST; true when the endpoint answered 2xx. Stripe signs every attempt afresh. */
  #attempt({ event, endpoint }: Delivery): Promise<boolean> {
    const payload = JSON.stringify(event, null, 2);
    const url = new URL(endpoint.url);
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let request: ClientRequest;
      try {
        request = send(url, {
          method: 'POST',
          agent: secure ? this.#agents.https : this.#agents.http,
          timeout: this.#timeoutMs,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(payload),
            'stripe-signature': stripeSignatureHeader(payload, endpoint.secret, unixSeconds(this.#clock)),
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            accept: '*/*; q=0.5, application/xml',
            'cache-control': 'no-cache',
          },
        });
      } catch {
        resolve(false); // an unusable URL: nothing to retry
        return;
      }
      request.on('response', (response: IncomingMessage) => {
        response.resume();
        response.on('end', () => resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300));
        response.on('error', () => resolve(false));
      });
      request.on('timeout', () => request.destroy(new Error('webhook delivery timed out')));
      request.on('error', () => resolve(false));
      request.end(payload);
    });
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#pendingPauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#pendingPauses.add(wake);
    });
  }
}
