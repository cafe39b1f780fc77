import { createHash } from 'node:crypto';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';

/**
 * The Idempotency-Key sent to Stripe for a client's key. Stripe scopes keys to the whole platform account,
 * so a client's raw key could collide with another caller's and replay *their* result; scoping it to the
 * caller and the operation makes that impossible while keeping retries of one action idempotent.
 */
export function providerIdempotencyKey({ clientKey, callerId, operation }: { clientKey: string; callerId: string; operation: string }): string {
  if (!/^[\w.:-]{8,200}$/.test(clientKey)) {
    throw gatewayError(ErrorCode.BAD_USER_INPUT, 'idempotencyKey must be 8 to 200 characters of letters, digits, _ . : -', { argument: 'idempotencyKey' });
  }
  return `gw-${createHash('sha256').update(`${callerId}\u0000${operation}\u0000${clientKey}`).digest('hex')}`;
}
