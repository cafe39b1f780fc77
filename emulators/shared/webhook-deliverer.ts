import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One ready-to-send webhook POST: where, what, and the headers that carry its signature. */
export interface SignedRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: OutgoingHttpHeaders;
}

export interface WebhookDelivererOptions<T> {
  /**
   * Builds the POST for one attempt of a delivery. Called afresh for every attempt, so a signature that
   * embeds a timestamp (Stripe's) is current each time; content-length is added when missing.
   */
  sign(delivery: T): SignedRequest | Promise<SignedRequest>;
  /** Pauses before the 2nd, 3rd… attempt. Default: two retries, after 100 ms and 400 ms. */
  retryDelaysMs?: readonly number[] | undefined;
  /** Per attempt. */
  timeoutMs: number;
  /** How long close() lets queued and in-flight deliveries have their last attempt before cutting them off. */
  closeGraceMs: number;
}

/**
 * Stripe, GitHub and X all push signed webhooks the same way; only the signing differs. This POSTs
 * deliveries one at a time in the order they were enqueued, off the API's path, retrying a failed
 * attempt (connection error, timeout, non-2xx, unusable URL) a bounded number of times before dropping
 * it. close() never hangs on a dead or stuck receiver: it stops retrying and accepting, gives what is
 * queued its last attempt for at most the grace period, then abandons the queue and aborts attempts in
 * flight.
 */
export class WebhookDeliverer<T> {
  readonly #queue: { delivery: T; onDelivered: (() => void) | undefined }[] = [];
  readonly #sign: (delivery: T) => SignedRequest | Promise<SignedRequest>;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #closeGraceMs: number;
  readonly #agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  readonly #pendingPauses = new Set<() => void>();
  readonly #cutOff = new AbortController();
  #draining: Promise<void> | undefined;
  #closing = false;

  constructor(options: WebhookDelivererOptions<T>) {
    this.#sign = options.sign;
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 400];
    this.#timeoutMs = options.timeoutMs;
    this.#closeGraceMs = options.closeGraceMs;
  }

  /** Queues a delivery; `onDelivered` runs once the receiver has answered 2xx. Ignored after close(). */
  enqueue(delivery: T, onDelivered?: () => void): void {
    if (this.#closing) return;
    this.#queue.push({ delivery, onDelivered });
    this.#draining ??= this.#drain();
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const wake of this.#pendingPauses) wake();
    const cutOff = (): void => {
      this.#queue.length = 0;
      this.#cutOff.abort();
    };
    let grace: NodeJS.Timeout | undefined;
    if (this.#closeGraceMs > 0) grace = setTimeout(cutOff, this.#closeGraceMs);
    else cutOff();
    try {
      await this.#draining;
    } finally {
      clearTimeout(grace);
      this.#agents.http.destroy();
      this.#agents.https.destroy();
    }
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        if (await this.#deliver(next.delivery)) next.onDelivered?.();
      }
    } finally {
      // Synchronous with the empty-queue check above: a delivery enqueued later starts a new drain.
      this.#draining = undefined;
    }
  }

  /** True once an attempt was answered 2xx. */
  async #deliver(delivery: T): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (this.#cutOff.signal.aborted) return false;
      if (await this.#attempt(await this.#sign(delivery))) return true;
      const delay = this.#retryDelaysMs[attempt];
      if (delay === undefined || this.#closing) return false;
      await this.#pause(delay);
      if (this.#closing) return false;
    }
  }

  /** One POST; true when the receiver answered 2xx. */
  #attempt({ url: target, body, headers }: SignedRequest): Promise<boolean> {
    return new Promise((resolve) => {
      let request: ClientRequest;
      try {
        const url = new URL(target);
        const secure = url.protocol === 'https:';
        request = (secure ? httpsRequest : httpRequest)(url, {
          method: 'POST',
          agent: secure ? this.#agents.https : this.#agents.http,
          timeout: this.#timeoutMs,
          signal: this.#cutOff.signal,
          headers: { 'content-length': Buffer.byteLength(body), ...headers },
        });
      } catch {
        resolve(false); // an unusable URL, or a protocol Node cannot speak
        return;
      }
      let answered = false;
      request.on('response', (response: IncomingMessage) => {
        answered = true;
        response.resume();
        const status = response.statusCode ?? 0;
        response.on('end', () => resolve(status >= 200 && status < 300));
        // 'close' follows 'end'; alone, it means the answer was cut off. Settling twice is harmless.
        response.on('close', () => resolve(false));
      });
      request.on('timeout', () => request.destroy(new Error('webhook delivery timed out')));
      request.on('error', () => resolve(false));
      request.on('close', () => {
        if (!answered) resolve(false);
      });
      request.end(body);
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
