import type Stripe from 'stripe';
import { WebhookDeliverer } from '../shared/webhook-deliverer.ts';
import { unixSeconds, type Clock } from './clock.ts';
import { mulberry32 } from '../shared/faults.ts';
import { retryScheduleMs, type WebhookChaos } from './webhook-chaos.ts';
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
  /** Out-of-order and repeated deliveries, retries on Stripe's (compressed) schedule. Default off. */
  chaos?: WebhookChaos | undefined;
}

interface Delivery {
  event: Stripe.Event;
  endpoint: WebhookEndpoint;
}

/**
 * POSTs events to a webhook endpoint, signed like Stripe's, off the API's path. By default one at a time
 * in the order they happened, each once; a failed attempt (connection error, timeout, non-2xx) is retried
 * a bounded number of times, then the event is dropped (`pending_webhooks` stays 1, as on Stripe). Under
 * `chaos`, as Stripe actually behaves: each event is held a random moment (so later ones overtake it),
 * some are delivered twice, and failures are retried on Stripe's schedule, compressed.
 */
export class WebhookDelivery {
  readonly #deliverer: WebhookDeliverer<Delivery>;
  readonly #chaos: WebhookChaos | undefined;
  readonly #random: () => number;
  readonly #holds = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: WebhookDeliveryOptions) {
    const clock = options.clock;
    this.#chaos = options.chaos;
    this.#random = mulberry32(options.chaos?.seed ?? 1);
    this.#deliverer = new WebhookDeliverer<Delivery>({
      retryDelaysMs: options.retryDelaysMs ?? (options.chaos ? retryScheduleMs(options.chaos) : undefined),
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
    const chaos = this.#chaos;
    if (!chaos) {
      this.#deliverer.enqueue({ event, endpoint }, onDelivered);
      return;
    }
    let acknowledged = false;
    const once = (): void => {
      if (acknowledged) return;
      acknowledged = true;
      onDelivered();
    };
    const copies = this.#random() < chaos.duplicateRate ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) this.#hold(Math.floor(this.#random() * (chaos.reorderWindowMs + 1)), () => this.#deliverer.enqueue({ event, endpoint }, once));
  }

  #hold(ms: number, then: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#holds.delete(timer);
      then();
    }, ms);
    this.#holds.add(timer);
  }

  /**
   * Stops retrying and accepting events, lets queued events have their one attempt within the grace
   * period, then cuts off whatever is left and closes the connections.
   */
  close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#holds) clearTimeout(timer);
    this.#holds.clear();
    return this.#deliverer.close();
  }
}
