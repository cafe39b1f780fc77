import type Stripe from 'stripe';
import { WebhookDeliverer } from '../shared/webhook-deliverer.ts';
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
  /** How long close() lets deliveries in flight finish before cutting them off. Default 5 s. */
  closeGraceMs?: number;
}

interface Delivery {
  event: Stripe.Event;
  endpoint: WebhookEndpoint;
}

/**
 * POSTs events to a webhook endpoint, signed like Stripe's, one at a time in the order they happened,
 * off the API's path. A failed attempt (connection error, timeout, non-2xx) is retried a bounded number
 * of times; after that the event is dropped (`pending_webhooks` stays 1, as on Stripe).
 */
export class WebhookDelivery {
  readonly #deliverer: WebhookDeliverer<Delivery>;

  constructor(options: WebhookDeliveryOptions) {
    const clock = options.clock;
    this.#deliverer = new WebhookDeliverer<Delivery>({
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: options.timeoutMs ?? 5_000,
      closeGraceMs: options.closeGraceMs ?? 5_000,
      // Stripe signs every attempt afresh, with the time of that attempt.
      sign: ({ event, endpoint }) => {
        const body = JSON.stringify(event, null, 2);
        return {
          url: endpoint.url,
          body,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'stripe-signature': stripeSignatureHeader(body, endpoint.secret, unixSeconds(clock)),
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            accept: '*/*; q=0.5, application/xml',
            'cache-control': 'no-cache',
          },
        };
      },
    });
  }

  enqueue(event: Stripe.Event, endpoint: WebhookEndpoint, onDelivered: () => void): void {
    this.#deliverer.enqueue({ event, endpoint }, onDelivered);
  }

  /**
   * Stops retrying and accepting events, lets queued events have their one attempt within the grace
   * period, then cuts off whatever is left and closes the connections.
   */
  close(): Promise<void> {
    return this.#deliverer.close();
  }
}
