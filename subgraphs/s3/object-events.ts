import { underPrefix } from '../../kit/access/access.ts';
import { eventSubscription, occurredAt } from '../../kit/events/event-subscription.ts';
import type { EventStreams } from '../../kit/events/event-streams.ts';
import { isAdmin, principalOf, type Caller } from '../../kit/access/principal.ts';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import type { S3Context } from './context.ts';
import { requireOwnKey } from './resolvers/stored-objects.ts';
import type { StoredObjectEventResolvers, SubscriptionResolvers, SubscriptionStoredObjectEventsArgs } from './__generated__/resolvers.ts';

/** Where S3's object notifications are published (see webhooks.ts). */
export const STORAGE_TOPIC = 'storage';

/**
 * Whether a caller may see this storage event: an admin any, anyone else only keys under their storage
 * prefix. The one rule `storedObjectEvents` subscriptions and outgoing webhooks (subgraphs/webhooks) apply.
 */
export function storedObjectEventVisibleTo(caller: Caller, event: DomainEvent): boolean {
  return isAdmin(caller) || underPrefix(principalOf(caller)?.storagePrefix, event.keys['key'] ?? '');
}

/**
 * `storedObjectEvents`: objects created or removed in a bucket under a prefix; a non-admin's prefix must
 * lie under their storage prefix, and each event is checked against it too.
 */
export function createObjectEventResolvers(streams: EventStreams) {
  const Subscription: SubscriptionResolvers<S3Context> = {
    storedObjectEvents: eventSubscription(streams, ({ bucket, prefix, afterEventId }: SubscriptionStoredObjectEventsArgs, context: S3Context) => {
      requireOwnKey(context.caller, prefix);
      const caller = context.caller;
      return {
        topic: STORAGE_TOPIC,
        afterEventId,
        accept: (event) => event.keys['bucket'] === bucket && (event.keys['key'] ?? '').startsWith(prefix ?? '') && storedObjectEventVisibleTo(caller, event),
      };
    }),
  };
  const StoredObjectEvent: StoredObjectEventResolvers<S3Context> = {
    occurredAt,
    bucket: (event) => event.keys['bucket'] ?? '',
    key: (event) => event.keys['key'] ?? '',
    object: async (event, _args, context) => {
      if (event.type === 'object.removed') return null;
      const ref = { bucket: event.keys['bucket'] ?? '', key: event.keys['key'] ?? '' };
      const head = await context.loaders.head.clear(ref).load(ref);
      return head ? { ...ref, head } : null;
    },
  };
  return { Subscription, StoredObjectEvent };
}
