import type { CacheStore } from '../../kit/cache/cache-store.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import { createWebhookPipeline, type WebhookPipeline } from '../../kit/webhooks/webhook-pipeline.ts';
import type { S3CacheKind } from './cache-policy.ts';
import { decodeS3Key, parseS3Notification, storageEventId, toDomainEvent } from './events.ts';
import type { Listings } from './listings.ts';
import { STORAGE_TOPIC } from './object-events.ts';
import type { FetchCertificate } from './sns-certificates.ts';
import type { SnsHostRule } from './sns-hosts.ts';
import type { SnsMessage } from './sns-message.ts';
import { createSnsVerifier } from './sns-verifier.ts';

export const S3_WEBHOOK_PATH = '/webhooks/s3';

/**
 * SNS redelivers a message (same MessageId, same Timestamp) for at most an hour, and messages older than
 * that are refused before they are claimed; a day also covers S3 publishing an event twice.
 */
const DEDUPLICATION_WINDOW_MS = 24 * 60 * 60 * 1000;
const CONFIRM_TIMEOUT_MS = 10_000;

/** Drops whatever is cached about `bucket/key`: its metadata and every listing page of the bucket. */
export type EvictObject = (bucket: string, key: string) => Promise<unknown>;

/** The eviction a write through the gateway does, for the subgraph to pass to createS3Webhook. */
export function createObjectEviction({ cache, listings }: { cache: ProviderCache<S3CacheKind>; listings: Listings }): EvictObject {
  return (bucket, key) => Promise.all([cache.delete([{ kind: 'head', id: `${bucket}/${key}` }]), listings.invalidate(bucket)]);
}

/** GETs the SubscribeURL of a SubscriptionConfirmation (its host already allowed); rejects unless 2xx. */
export async function confirmSubscriptionOverHttp(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`SubscribeURL answered ${response.status}`);
}

export interface S3WebhookOptions {
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
  evict: EvictObject;
  /** Where SigningCertURL and SubscribeURL may point (see sns-hosts.ts); default Amazon SNS over https. */
  allowedCertHosts?: readonly SnsHostRule[];
  /**
   * The SNS topics S3 publishes to. Strongly advised with real AWS: a signature only proves that SNS sent
   * the message, and anyone can create a topic and subscribe this endpoint to it.
   */
  topicArns?: readonly string[];
  /** The buckets the subgraph exposes; records about any other bucket are ignored. Default: all. */
  buckets?: readonly string[];
  fetchCertificate?: FetchCertificate;
  confirmSubscription?: (subscribeUrl: string) => Promise<void>;
  certificateCacheSize?: number;
  now?: () => number;
}

/**
 * POST /webhooks/s3: S3 event notifications delivered by Amazon SNS over HTTP/S. Verifies the SNS
 * signature, claims the MessageId (SNS is at-least-once), acknowledges, then processes:
 * - SubscriptionConfirmation: GETs the SubscribeURL, which confirms the subscription;
 * - Notification: for each S3 record, evicts the object's cached metadata and its bucket's listings and
 *   publishes `object.created` / `object.removed` on the `storage` topic (each record's event id claimed
 *   too, so an event S3 itself published twice is published once); the s3:TestEvent is ignored;
 * - UnsubscribeConfirmation: logged.
 */
export function createS3Webhook(options: S3WebhookOptions): WebhookPipeline {
  const { cacheStore, eventBus, evict } = options;
  const logger = options.logger.child({ webhook: 's3' });
  const buckets = options.buckets ? new Set(options.buckets) : undefined;
  const confirm = options.confirmSubscription ?? confirmSubscriptionOverHttp;

  async function notify(message: SnsMessage): Promise<void> {
    const content = parseS3Notification(message.Message);
    if (content.kind === 'test') return;
    if (content.kind === 'other') {
      logger.warn({ messageId: message.MessageId, topicArn: message.TopicArn }, 'SNS notification is not an S3 event; ignored');
      return;
    }
    for (const [index, record] of content.records.entries()) {
      const bucket = record.s3.bucket.name;
      const key = decodeS3Key(record.s3.object.key);
      if (key === undefined) {
        logger.warn({ messageId: message.MessageId, bucket }, 'S3 event with a malformed key; ignored');
        continue;
      }
      if (buckets && !buckets.has(bucket)) continue;
      await evict(bucket, key);
      const id = storageEventId(record, message.MessageId, index);
      const event = toDomainEvent(record, key, id, message.Timestamp);
      if (!event || !(await cacheStore.claim('s3-events', id, DEDUPLICATION_WINDOW_MS))) continue;
      try {
        await eventBus.publish(STORAGE_TOPIC, event);
      } catch (error) {
        // Given back with the message's claim, so SNS's redelivery publishes it.
        await cacheStore.releaseClaim('s3-events', id);
        throw error;
      }
    }
  }

  return createWebhookPipeline<SnsMessage>({
    metrics: options.metrics,
    path: S3_WEBHOOK_PATH,
    provider: 's3',
    logger: options.logger,
    verify: createSnsVerifier({
      allowedHosts: options.allowedCertHosts,
      topicArns: options.topicArns,
      fetchCertificate: options.fetchCertificate,
      certificateCacheSize: options.certificateCacheSize,
      now: options.now,
    }),
    eventId: (message) => message.MessageId,
    claim: (messageId) => cacheStore.claim('s3-webhooks', messageId, DEDUPLICATION_WINDOW_MS),
    release: (messageId) => cacheStore.releaseClaim('s3-webhooks', messageId),
    async process(message) {
      switch (message.Type) {
        case 'SubscriptionConfirmation':
          try {
            await confirm(message.SubscribeURL!);
          } catch (error) {
            // Acknowledged already, so SNS will not resend it: request a new confirmation from SNS.
            logger.error({ err: error, topicArn: message.TopicArn }, 'SNS subscription could not be confirmed');
            throw error;
          }
          logger.info({ topicArn: message.TopicArn }, 'SNS subscription confirmed');
          return;
        case 'UnsubscribeConfirmation':
          logger.warn({ topicArn: message.TopicArn }, 'SNS subscription ended: S3 events will no longer arrive');
          return;
        case 'Notification':
          return notify(message);
      }
    },
  });
}
