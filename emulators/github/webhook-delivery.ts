import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { WebhookDeliverer, type SignedRequest } from '../shared/webhook-deliverer.ts';
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
  readonly #deliverer: WebhookDeliverer<Delivery>;

  constructor(options: WebhookDeliveryOptions = {}) {
    this.#deliverer = new WebhookDeliverer<Delivery>({
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: options.timeoutMs ?? 3_000,
      closeGraceMs: options.closeGraceMs ?? 1_000,
      sign: signedRequest,
    });
  }

  enqueue(event: WebhookEvent, endpoint: WebhookEndpoint): void {
    this.#deliverer.enqueue({ id: randomUUID(), event, endpoint: { ...endpoint } });
  }

  /**
   * Stops retrying and accepting events, gives queued ones their single attempt, and after the grace
   * period aborts whatever is still waiting on a receiver, so a dead or stuck endpoint never holds it up.
   */
  close(): Promise<void> {
    return this.#deliverer.close();
  }
}

async function signedRequest({ id, event, endpoint }: Delivery): Promise<SignedRequest> {
  const body = JSON.stringify(event.payload);
  return {
    url: endpoint.url,
    body,
    headers: {
      accept: '*/*',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-github-delivery': id,
      'x-github-event': event.name,
      'x-github-hook-id': GITHUB_EMULATOR_HOOK_ID,
      'x-github-hook-installation-target-id': String(event.repositoryId),
      'x-github-hook-installation-target-type': 'repository',
      // GitHub still sends the legacy SHA-1 signature next to the SHA-256 one.
      'x-hub-signature': `sha1=${createHmac('sha1', endpoint.secret).update(body).digest('hex')}`,
      'x-hub-signature-256': await sign(endpoint.secret, body),
    },
  };
}
