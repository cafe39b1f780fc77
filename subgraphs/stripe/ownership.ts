import { visibleTo } from '../../kit/access/access.ts';
import type { Caller, Principal } from '../../kit/access/principal.ts';
import { idOf } from './evictions.ts';
import { notFound } from './resolvers/shared.ts';

type CustomerRef = string | { id: string } | null | undefined;

/** Whether a Stripe object's `customer` is the caller's linked customer. */
export function ownsCustomer(principal: Principal, customer: CustomerRef): boolean {
  return principal.customerId !== undefined && idOf(customer) === principal.customerId;
}

/**
 * Ownership of what Stripe returned, checked after every load (cached or not), so a cached object of one
 * customer is never served to another. Non-owners get FORBIDDEN whether or not the id exists.
 */
export function visibleCustomer<T extends { id: string }>(caller: Caller, customer: T | null): T {
  return visibleTo(caller, customer, (p, c) => ownsCustomer(p, c.id), () => notFound('Customer'));
}

export function visibleOwned<T extends { customer: CustomerRef }>(caller: Caller, value: T | null, what: string): T {
  return visibleTo(caller, value, (p, v) => ownsCustomer(p, v.customer), () => notFound(what));
}
