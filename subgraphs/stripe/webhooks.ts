import { STRIPE_API_VERSION } from './client.ts';
import type Stripe from 'stripe';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import type { EventBus } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import { createWebhookPipeline, WebhookVerificationError, type WebhookPipeline } from '../../kit/webhooks/webhook-pipeline.ts';
import { eventObject, PAYMENTS_TOPIC, toDomainEvent } from './events.ts';
import { idOf, type Evictions } from './evictions.ts';
import { isStaleEvent } from './stale-events.ts';

/** Stripe's own default: a signature older than this is a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Stripe retries for up to three days; an id seen within that window is a duplicate. */
const DEDUPLICATION_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** Evicts whatever cached object the event says has changed. */
export async function evictFor(event: Stripe.Event, evictions: Evictions): Promise<void> {
  const object = eventObject(event);
  const customerId = idOf(object.customer);
  switch (object.object) {
    case 'customer':
      return evictions.customer(object.id);
    case 'payment_intent':
      return evictions.paymentIntent(object.id, customerId);
    case 'charge':
    case 'refund': {
      const paymentIntentId = idOf(object.payment_intent);
      return paymentIntentId ? evictions.paymentIntent(paymentIntentId, customerId) : undefined;
    }
    case 'subscription':
      return evictions.subscription(object.id, customerId);
    case 'invoice':
      return evictions.invoice(object.id, customerId);
    case 'product':
      return evictions.product(object.id);
    case 'price':
      return evictions.price(object.id);
    case 'payment_method': {
      // A detached method no longer names its customer: Stripe puts it in previous_attributes.
      const previous = event.data.previous_attributes as { customer?: string | { id: string } | null } | undefined;
      const owner = customerId ?? idOf(previous?.customer);
      return owner ? evictions.paymentMethods(owner) : undefined;
    }
    case 'setup_intent':
      // A succeeded setup has saved a card to the customer.
      return customerId ? evictions.paymentMethods(customerId) : undefined;
    case 'checkout.session':
      return evictions.checkoutSession(object.id, customerId);
    default:
      return undefined;
  }
}

/** POST /webhooks/stripe: verify Stripe-Signature over the raw body, de-duplicate by event id, evict, publish. */
export function createStripeWebhook({
  stripe,
  secret,
  cacheStore,
  evictions,
  eventBus,
  logger,
  metrics,
  now = () => Date.now(),
}: {
  stripe: Stripe;
  secret: string;
  cacheStore: CacheStore;
  evictions: Evictions;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
  now?: () => number;
}): WebhookPipeline {
  const warnedVersions = new Set<string>();
  let publishing: Promise<void> = Promise.resolve();
  return createWebhookPipeline<Stripe.Event>({
    metrics,
    path: STRIPE_WEBHOOK_PATH,
    provider: 'stripe',
    logger,
    verify({ rawBody, headers }) {
      const signature = headers['stripe-signature'];
      if (typeof signature !== 'string') throw new WebhookVerificationError('missing Stripe-Signature header');
      try {
        return stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, now());
      } catch (error) {
        throw new WebhookVerificationError(error instanceof Error ? error.message : 'signature verification failed');
      }
    },
    eventId: (event) => event.id,
    claim: (eventId) => cacheStore.claim('stripe-webhooks', eventId, DEDUPLICATION_WINDOW_MS),
    release: (eventId) => cacheStore.releaseClaim('stripe-webhooks', eventId),
    async process(event) {
      // The endpoint's version decides the payload's shape: one not pinned to ours is said loudly, once.
      if (event.api_version && event.api_version !== STRIPE_API_VERSION && !warnedVersions.has(event.api_version)) {
        warnedVersions.add(event.api_version);
        logger.warn({ endpointVersion: event.api_version, expected: STRIPE_API_VERSION }, 'Stripe webhook endpoint is not pinned to the API version this subgraph reads: set its version in the Dashboard');
      }
      await evictFor(event, evictions);
      const domainEvent = toDomainEvent(event);
      if (!domainEvent) return;
      // Published in the order received: the staleness check's Stripe call must not let a later event overtake.
      const turn = publishing.then(async () => {
        if (await isStaleEvent(stripe, event)) {
          logger.debug({ eventId: event.id, type: event.type }, 'stale Stripe event (the object has moved on): evicted, not published');
          return;
        }
        await eventBus.publish(PAYMENTS_TOPIC, domainEvent);
      });
      publishing = turn.catch(() => undefined);
      await turn;
    },
  });
}
