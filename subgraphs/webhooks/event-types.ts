import type { DomainEvent } from '../../kit/events/event-bus.ts';

/**
 * The event types an endpoint may ask for: the domain events the providers publish (their webhook
 * handlers), plus our own. `payment.*` asks for a family, `*` for everything the owner may see.
 */
export const EVENT_TYPES = [
  'payment.created',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'payment.processing',
  'payment.requires_action',
  'payment.refunded',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'subscription.created',
  'subscription.updated',
  'subscription.canceled',
  'invoice.paid',
  'invoice.payment_failed',
  'repository.starred',
  'repository.unstarred',
  'repository.pushed',
  'repository.changed',
  // GitHub's `issues` deliveries, one type per action (github/webhooks.ts).
  'issue.opened',
  'issue.edited',
  'issue.closed',
  'issue.reopened',
  'issue.deleted',
  'issue.transferred',
  'issue.labeled',
  'issue.unlabeled',
  'issue.assigned',
  'issue.unassigned',
  'tweet.created',
  'tweet.deleted',
  'object.created',
  'object.removed',
  'webhook_endpoint.disabled',
] as const;

/** Sent by `sendWebhookTestEvent` to one endpoint, whatever it asked for. */
export const TEST_EVENT_TYPE = 'webhook.test';
/** Published when an endpoint is disabled (410, or failing for days), to its owner's other endpoints. */
export const ENDPOINT_DISABLED_TYPE = 'webhook_endpoint.disabled';

/** Event bus topics the outbox follows (the providers' subscription topics, and ours). */
export const FEED_TOPICS = ['payments', 'social', 'storage', 'webhooks'] as const;
export const WEBHOOKS_TOPIC = 'webhooks';

const FILTER = /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/;

/** Filters that match no event type we publish are refused, so that a typo does not silently receive nothing. */
export function invalidEventTypeFilters(filters: readonly string[]): string[] {
  return filters.filter((filter) => !FILTER.test(filter) || !EVENT_TYPES.some((type) => matchesFilter(filter, type)));
}

export function matchesFilter(filter: string, type: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

export function wants(filters: readonly string[], event: Pick<DomainEvent, 'type'>): boolean {
  return filters.some((filter) => matchesFilter(filter, event.type));
}
