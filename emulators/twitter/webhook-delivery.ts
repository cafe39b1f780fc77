import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
  readonly #queue: Delivery[] = [];
  readonly #consumerSecret: string;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  readonly #inFlight = new Set<ClientRequest>();
  readonly #pendingPauses = new Set<() => void>();
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(options: WebhookDeliveryOptions) {
    this.#consumerSecret = options.consumerSecret;
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 400];
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  enqueue(activity: AccountActivity, url: string): void {
    if (this.#closed) return;
    this.#queue.push({ activity, url });
    this.#draining ??= this.#drain();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    for (const request of this.#inFlight) request.destroy();
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
      if (await this.#attempt(delivery)) return;
      const delay = this.#retryDelaysMs[attempt];
      if (delay === undefined || this.#closed) return;
      await this.#pause(delay);
      if (this.#closed) return;
    }
  }

  /** One signed POST; true when the receiver answered 2xx. */
  #attempt({ activity, url: target }: Delivery): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.resolve(false);
    }
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
            'content-length': Buffer.byteLength(activity.body),
            'x-twitter-webhooks-signature': twitterSignature(activity.body, this.#consumerSecret),
          },
        });
      } catch {
        resolve(false); // e.g. a protocol Node cannot speak: nothing to retry
        return;
      }
      this.#inFlight.add(request);
      const settle = (delivered: boolean): void => {
        this.#inFlight.delete(request);
        resolve(delivered);
      };
      let answered = false;
      request.on('response', (response: IncomingMessage) => {
        answered = true;
        response.resume();
        response.on('end', () => settle((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300));
        // 'close' follows 'end'; alone, it means the answer was cut off. Settling twice is harmless.
        response.on('close', () => settle(false));
      });
      request.on('timeout', () => request.destroy(new Error('webhook delivery timed out')));
      request.on('error', () => settle(false));
      request.on('close', () => {
        if (!answered) settle(false);
      });
      request.end(activity.body);
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
