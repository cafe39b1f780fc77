import Stripe from 'stripe';
import type { StripeSettings } from './config.ts';

/**
 * The API version every request is made with, pinned to the one the installed SDK's types describe;
 * upgrading it is a deliberate change (and a new SDK version).
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

/**
 * The SDK client. It retries connection errors, 409 and 5xx itself, reusing the request's
 * Idempotency-Key, so nothing here retries on top of it.
 */
export function createStripeClient(settings: StripeSettings): Stripe {
  return new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: settings.maxNetworkRetries,
    timeout: settings.timeoutMs,
    telemetry: false,
    ...(settings.apiBase ?? {}),
  });
}
