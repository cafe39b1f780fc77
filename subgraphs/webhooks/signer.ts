import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { EndpointSecret } from './tables.ts';

/** A new `whsec_` secret: 32 random bytes, base64, as Standard Webhooks libraries expect it. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Secrets that sign at `now`: the current one, and a rotated-out one until it expires. */
export function activeSecrets(secrets: readonly EndpointSecret[], now: Date): EndpointSecret[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one attempt, signed by the reference library with every active secret
 * (space-separated `v1,<base64>` signatures): a receiver still on the old secret verifies during a rotation.
 * The timestamp is the attempt's, so receivers' replay windows hold for retries too.
 */
export function signMessage(messageId: string, payload: string, secrets: readonly EndpointSecret[], now: Date): SignedHeaders {
  const signatures = activeSecrets(secrets, now).map((s) => new Webhook(s.secret).sign(messageId, now, payload));
  if (signatures.length === 0) throw new Error('endpoint has no active secret');
  return { 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signatures.join(' ') };
}
