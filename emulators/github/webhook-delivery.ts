import { createHmac, randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { sign } from '@octokit/webhooks-methods';
import type { WebhookEvent } from './webhook-events.ts';

export interface WebhookEndpoint {
  url: string;
  /** The hook's secret: deliveries are signed with it (`X-Hub-Signature-256`). */
  secret: string;
}

export interface WebhookDeliveryOptions {
  /** Pauses before the 2nd, 3rd… attempt. Default: two retries, after 100 ms and 400 ms. */
  retryDelaysMs?: readonly number[];
  /** Per attempt. Default 3 s. */
  timeoutMs?: number;
  /** How long close() lets deliveries in flight finish before cutting them off. Default 1 s. */
  closeGraceMs?: number;
}

/** The emulator's one webhook, as `X-GitHub-Hook-ID` names it. */
export const GITHUB_EMULATOR_HOOK_ID = '501234567';

/** GitHub's deliveries say `GitHub-Hookshot/<short sha of the sending service>`. */
const USER_AGENT = 'GitHub-Hookshot/0e1c5d7';

interface Delivery {
  id: string;
  event: WebhookEvent;
  endpoint: WebhookEndpoint;
}

/**
 * POSTs events to the webhook like GitHub does, one at a time in the order they happened, off the API's
 * path. GitHub itself never retries; the emulator retries a failed attempt (connection error, timeout,
 * non-2xx) a bounded number of times with the same `X-GitHub-Delivery`, as a manual redelivery would,
 * so a receiver that is briefly down in a test still gets its event.
 */
export class WebhookDelivery {
  readonly #queue: Delivery[] = [];
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #closeGraceMs: number;
  readonly #agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  readonly #pendingPauses = new Set<() => void>();
  readonly #cutOff = new AbortController();
  #draining: Promise<void> | undefined;
  #closing = false;

  constructor(options: WebhookDeliveryOptions = {}) {
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 400];
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#closeGraceMs = options.closeGraceMs ?? 1_000;
  }

  enqueue(event: WebhookEvent, endpoint: WebhookEndpoint): void {
    if (this.#closing) return;
    this.#queue.push({ id: randomUUID(), event, endpoint: { ...endpoint } });
    this.#draining ??= this.#drain();
  }

  /**
   * Stops retrying and accepting events, gives queued ones their single attempt, and after the grace
   * period aborts whatever is still waiting on a receiver, so a dead or stuck endpoint never holds it up.
   */
  async close(): Promise<void> {
    this.#closing = true;
    for (const wake of this.#pendingPauses) wake();
    const grace = setTimeout(() => this.#cutOff.abort(), this.#closeGraceMs);
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
        await this.#deliver(next);
      }
    } finally {
      // Synchronous with the empty-queue check above: an event enqueued later starts a new drain.
      this.#draining = undefined;
    }
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const body = JSON.stringify(delivery.event.payload);
    const headers = await this.#headers(delivery, body);
    for (let attempt = 0; ; attempt++) {
      if (await this.#attempt(delivery.endpoint.url, headers, body)) return;
      const delay = this.#retryDelaysMs[attempt];
      if (delay === undefined || this.#closing) return;
      await this.#pause(delay);
    }
  }

  async #headers({ id, event, endpoint }: Delivery, body: string): Promise<Record<string, string | number>> {
    return {
      accept: '*/*',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': USER_AGENT,
      'x-github-delivery': id,
      'x-github-event': event.name,
      'x-github-hook-id': GITHUB_EMULATOR_HOOK_ID,
      'x-github-hook-installation-target-id': String(event.repositoryId),
      'x-github-hook-installation-target-type': 'repository',
      // GitHub still sends the legacy SHA-1 signature next to the SHA-256 one.
      'x-hub-signature': `sha1=${createHmac('sha1', endpoint.secret).update(body).digest('hex')}`,
      'x-hub-signature-256': await sign(endpoint.secret, body),
    };
  }

  /** One POST; true when the receiver answered 2xx. */
  #attempt(target: string, headers: Record<string, string | number>, body: string): Promise<boolean> {
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
          headers,
        });
      } catch {
        resolve(false); // an unusable URL: nothing to retry
        return;
      }
      request.on('response', (response: IncomingMessage) => {
        response.resume();
        const ok = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;
        response.on('end', () => resolve(ok));
        response.on('error', () => resolve(false));
      });
      request.on('timeout', () => request.destroy(new Error('webhook delivery timed out')));
      request.on('error', () => resolve(false));
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
