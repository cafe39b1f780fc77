import Stripe from 'stripe';
import type { ProviderRequestLog } from '../kit/provider-request-log.ts';
import type { StripeSettings } from './config.ts';

/**
 * The API version every request is made with, pinned to the one the installed SDK's types describe;
 * upgrading it is a deliberate change (and a new SDK version).
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

/**
 * The SDK client. It retries connection errors, 409 and 5xx itself, reusing the request's
 * Idempotency-Key, so nothing here retries on top of it.
 *
 * With `requestLog`, the `Request-Id` of every answer (errors included) is recorded there, from the SDK's
 * `response` event. stripe-node emits that event once per call, for the attempt that settled it: the ids of
 * attempts it retried are not reported.
 */
export function createStripeClient(settings: StripeSettings, requestLog?: ProviderRequestLog): Stripe {
  const stripe = new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: settings.maxNetworkRetries,
    timeout: settings.timeoutMs,
    telemetry: false,
    ...(settings.apiBase ?? {}),
  });
  if (requestLog) stripe.on('response', (event: Stripe.ResponseEvent) => requestLog.record(event.request_id));
  return stripe;
}
