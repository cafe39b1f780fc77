import type { Logger } from '../logger.ts';
import type { Metrics, WebhookResult } from '../metrics.ts';
import type { WebhookRequest, WebhookResponse, WebhookRoute } from './webhook-route.ts';

/** Thrown by a provider's verifier: bad or missing signature, stale timestamp, unparsable body. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

export interface WebhookStats {
  received: number;
  rejected: number;
  duplicates: number;
  processed: number;
  failed: number;
}

export interface WebhookPipelineOptions<Event> {
  path: string;
  provider: string;
  /** Checks the signature over the raw body and returns the parsed event; throws WebhookVerificationError. */
  verify(request: WebhookRequest): Event | Promise<Event>;
  /** The provider's delivery or event id, the de-duplication key. */
  eventId(event: Event): string;
  /** True the first time an id is seen, across replicas (CacheStore.claim). */
  claim(eventId: string): Promise<boolean>;
  /** Gives the id's claim back when processing failed, so the provider's redelivery is processed. */
  release?(eventId: string): Promise<void>;
  /** Cache eviction, event publication. The provider is answered once it is done, or after `acknowledgeWithinMs`. */
  process(event: Event): Promise<void>;
  /** How long the provider's answer waits for processing (default 2 s, well inside every provider's timeout). */
  acknowledgeWithinMs?: number | undefined;
  logger: Logger;
  /** Counts into `fgw_webhooks_total{provider,result}` (labelled with `provider`). */
  metrics?: Metrics | undefined;
}

export interface WebhookPipeline extends WebhookRoute {
  readonly stats: Readonly<WebhookStats>;
  /** Waits for events acknowledged but still being processed (graceful shutdown, tests). */
  drain(): Promise<void>;
}

export const DEFAULT_ACKNOWLEDGE_WITHIN_MS = 2_000;

/**
 * The steps every provider's webhooks share: verify, de-duplicate, process, acknowledge. Nothing is
 * processed before its signature is verified, and no event id is processed twice.
 *
 * The answer waits for processing (a few milliseconds: evictions, one publish), so that a failure (the
 * event bus or cache unreachable) releases the claim and answers 503: the provider redelivers, rather
 * than the event being acknowledged and lost. Processing that outlasts `acknowledgeWithinMs` is
 * acknowledged anyway and finishes behind the answer, as providers give up on slow endpoints.
 */
export function createWebhookPipeline<Event>(options: WebhookPipelineOptions<Event>): WebhookPipeline {
  const stats: WebhookStats = { received: 0, rejected: 0, duplicates: 0, processed: 0, failed: 0 };
  const inFlight = new Set<Promise<unknown>>();
  const logger = options.logger.child({ webhook: options.provider });
  const count = (result: WebhookResult) => options.metrics?.recordWebhook(options.provider, result);

  async function handle(request: WebhookRequest): Promise<WebhookResponse> {
    stats.received++;
    count('received');
    let event: Event;
    try {
      event = await options.verify(request);
    } catch (error) {
      stats.rejected++;
      count('rejected');
      logger.warn({ reason: error instanceof WebhookVerificationError ? error.message : 'unverifiable' }, 'webhook rejected');
      return { status: 400, body: { error: 'invalid signature or payload' } };
    }
    const id = options.eventId(event);
    let first: boolean;
    try {
      first = await options.claim(id);
    } catch (err) {
      // Without the de-duplication store, processing could happen twice: refuse, and the provider retries later.
      logger.error({ err, eventId: id }, 'webhook de-duplication store unavailable; asking the provider to retry');
      return { status: 503, body: { error: 'temporarily unavailable, retry later' } };
    }
    if (!first) {
      stats.duplicates++;
      count('deduplicated');
      logger.info({ eventId: id }, 'duplicate webhook ignored');
      return { status: 200, body: { received: true, duplicate: true } };
    }
    const processing: Promise<boolean> = options
      .process(event)
      .then(() => {
        stats.processed++;
        count('processed');
        return true;
      })
      .catch((err: unknown) => {
        stats.failed++;
        count('failed');
        logger.error({ err, eventId: id }, 'webhook processing failed');
        return false;
      })
      .finally(() => inFlight.delete(processing));
    inFlight.add(processing);
    const processed = await settledWithin(processing, options.acknowledgeWithinMs ?? DEFAULT_ACKNOWLEDGE_WITHIN_MS);
    if (processed === false && options.release) {
      await options.release(id).catch((err: unknown) => logger.error({ err, eventId: id }, 'webhook claim could not be released; a redelivery will be taken for a duplicate'));
      return { status: 503, body: { error: 'processing failed, retry later' } };
    }
    return { status: 200, body: { received: true } };
  }

  return {
    path: options.path,
    stats,
    handle,
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

/** What `work` settled to, or undefined when it takes longer than `ms` (it goes on regardless). */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
