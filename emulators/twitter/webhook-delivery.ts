import { WebhookDeliverer } from '../shared/webhook-deliverer.ts';
import type { AccountActivity } from './account-activity.ts';
import { twitterSignature } from './webhook-signature.ts';

export interface WebhookDeliveryOptions {
  /** Signs every delivery (`x-twitter-webhooks-signature`). */
  consumerSecret: string;
  /** Pauses before the 2nd, 3rd… attempt. Default: two retries, after 100 ms and 400 ms. */
  retryDelaysMs?: readonly number[];
  /** Per attempt. Default 5 s. */
  timeoutMs?: number;
}

interface Delivery {
  activity: AccountActivity;
  url: string;
}

/**
 * POSTs Account Activity events to a webhook, signed like X's, one at a time in the order they happened,
 * off the API's path. A failed attempt (connection error, timeout, non-2xx) is retried a bounded number
 * of times, then the event is dropped. Closing abandons what is queued and cuts attempts in flight, so a
 * receiver that is gone or stuck never holds the emulator open.
 */
export class WebhookDelivery {
  readonly #deliverer: WebhookDeliverer<Delivery>;

  constructor(options: WebhookDeliveryOptions) {
    const consumerSecret = options.consumerSecret;
    this.#deliverer = new WebhookDeliverer<Delivery>({
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: options.timeoutMs ?? 5_000,
      closeGraceMs: 0, // no grace: close() abandons the queue at once
      sign: ({ activity, url }) => ({
        url,
        body: activity.body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-twitter-webhooks-signature': twitterSignature(activity.body, consumerSecret),
        },
      }),
    });
  }

  enqueue(activity: AccountActivity, url: string): void {
    this.#deliverer.enqueue({ activity, url });
  }

  close(): Promise<void> {
    return this.#deliverer.close();
  }
}
