import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';
import type { GenerationalLists } from '../../kit/cache/generational-lists.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import { createWebhookPipeline, WebhookVerificationError, type WebhookPipeline } from '../../kit/webhooks/webhook-pipeline.ts';
import type { WebhookRoute } from '../../kit/webhooks/webhook-route.ts';
import type { TwitterCacheKind } from './cache-policy.ts';

export const TWITTER_WEBHOOK_PATH = '/webhooks/twitter';
export const SOCIAL_TOPIC = 'social';
const DEDUPLICATION_WINDOW_MS = 24 * 60 * 60 * 1000;

const hmac = (secret: string, data: string | Buffer) => `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`;

/** X's challenge-response check: `GET ?crc_token=` answered with the token's HMAC under the consumer secret. */
export function crcRoute(consumerSecret: string): WebhookRoute {
  return {
    method: 'GET',
    path: TWITTER_WEBHOOK_PATH,
    async handle({ query }) {
      const token = query.get('crc_token');
      if (!token) return { status: 400, body: { error: 'crc_token is required' } };
      return { status: 200, body: { response_token: hmac(consumerSecret, token) } };
    },
  };
}

/** An Account Activity delivery, reduced to what is read. */
export interface TwitterDelivery {
  /** A digest of the body: X sends no delivery id, and a redelivery repeats the same bytes. */
  id: string;
  forUserId: string | null;
  created: { id: string; authorId: string }[];
  deleted: { id: string; authorId: string }[];
}

interface AccountActivityBody {
  for_user_id?: string;
  tweet_create_events?: { id_str: string; user: { id_str: string } }[];
  tweet_delete_events?: { status: { id: string; user_id: string } }[];
}

export function toDomainEvents(delivery: TwitterDelivery, receivedAt: Date): DomainEvent[] {
  const event = (type: string, tweet: { id: string; authorId: string }): DomainEvent => ({
    id: `${type}:${tweet.id}`,
    provider: 'twitter',
    type,
    occurredAt: receivedAt.toISOString(),
    keys: { tweetId: tweet.id, authorId: tweet.authorId },
  });
  return [...delivery.created.map((t) => event('tweet.created', t)), ...delivery.deleted.map((t) => event('tweet.deleted', t))];
}

/** POST /webhooks/twitter: `x-twitter-webhooks-signature` over the raw body with the consumer secret. */
export function createTwitterWebhook({
  consumerSecret,
  cache,
  timelines,
  cacheStore,
  eventBus,
  logger,
  metrics,
}: {
  consumerSecret: string;
  cache: ProviderCache<TwitterCacheKind>;
  timelines: GenerationalLists;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
}): WebhookPipeline {
  return createWebhookPipeline<TwitterDelivery>({
    metrics,
    path: TWITTER_WEBHOOK_PATH,
    provider: 'twitter',
    logger,
    verify({ rawBody, headers }) {
      const signature = headers['x-twitter-webhooks-signature'];
      if (typeof signature !== 'string') throw new WebhookVerificationError('missing x-twitter-webhooks-signature');
      const expected = Buffer.from(hmac(consumerSecret, rawBody));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new WebhookVerificationError('signature does not match');
      let body: AccountActivityBody;
      try {
        body = JSON.parse(rawBody.toString('utf8')) as AccountActivityBody;
      } catch {
        throw new WebhookVerificationError('body is not JSON');
      }
      return {
        id: createHash('sha256').update(rawBody).digest('hex'),
        forUserId: body.for_user_id ?? null,
        created: (body.tweet_create_events ?? []).map((t) => ({ id: t.id_str, authorId: t.user.id_str })),
        deleted: (body.tweet_delete_events ?? []).map((t) => ({ id: t.status.id, authorId: t.status.user_id })),
      };
    },
    eventId: (delivery) => delivery.id,
    claim: (id) => cacheStore.claim('twitter-webhooks', id, DEDUPLICATION_WINDOW_MS),
    release: (id) => cacheStore.releaseClaim('twitter-webhooks', id),
    async process(delivery) {
      const tweets = [...delivery.created, ...delivery.deleted];
      await cache.delete(tweets.map((t) => ({ kind: 'tweet' as const, id: t.id })));
      await Promise.all([...new Set(tweets.map((t) => t.authorId))].map((authorId) => timelines.invalidate(authorId)));
      for (const event of toDomainEvents(delivery, new Date())) await eventBus.publish(SOCIAL_TOPIC, event);
    },
  });
}
