import type { Caller } from '../../kit/access/principal.ts';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { githubAccess } from '../github/access.ts';
import { storedObjectEventVisibleTo } from '../s3/object-events.ts';
import { s3Access } from '../s3/access.ts';
import { paymentEventVisibleTo } from '../stripe/payment-event-visibility.ts';
import { stripeAccess } from '../stripe/access.ts';
import { twitterAccess } from '../twitter/access.ts';
import type { StoredPrincipal } from './tables.ts';
import { ENDPOINT_DISABLED_TYPE } from './event-types.ts';

/**
 * Whether an endpoint's owner may receive this event: exactly what a subscription of theirs would get,
 * from the same code: the subscription field's access rule (its scope, ownership of the argument), then the
 * provider's per-event check. Never a second copy of those rules.
 */
export function mayReceive(owner: StoredPrincipal, event: DomainEvent): boolean {
  const caller: Caller = { kind: 'user', principal: owner };
  switch (event.provider) {
    case 'stripe':
      return stripeAccess['Subscription']!['paymentEvents']!.check(caller, { customerId: event.keys['customerId'] }) === true && paymentEventVisibleTo(caller, event);
    case 's3':
      return s3Access['Subscription']!['storedObjectEvents']!.check(caller, { prefix: event.keys['key'] }) === true && storedObjectEventVisibleTo(caller, event);
    case 'github':
      // Public activity: the subscription's scope is the whole rule.
      return githubAccess['Subscription']!['repositoryEvents']!.check(caller, {}) === true;
    case 'twitter':
      return twitterAccess['Subscription']!['tweetEvents']!.check(caller, {}) === true;
    case 'webhooks':
      // Our own operational events go to their owner only.
      return event.type === ENDPOINT_DISABLED_TYPE && event.keys['ownerSubject'] === owner.subject;
    default:
      return false;
  }
}
