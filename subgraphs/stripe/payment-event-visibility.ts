import { isAdmin, type Caller } from '../../kit/access/principal.ts';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { ownsCustomer } from './ownership.ts';

/**
 * Whether a caller may see this payments event: an admin any, anyone else only their own customer's.
 * The one rule `paymentEvents` subscriptions and outgoing webhooks (subgraphs/webhooks) both apply.
 */
export function paymentEventVisibleTo(caller: Caller, event: DomainEvent): boolean {
  return isAdmin(caller) || (caller.kind === 'user' && ownsCustomer(caller.principal, event.keys['customerId']));
}
