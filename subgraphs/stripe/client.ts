import type { GraphQLError } from 'graphql';
import Stripe from 'stripe';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import { policyFetch } from '../../kit/resilience/policy-fetch.ts';
import type { ProviderPolicy } from '../../kit/resilience/resilience.ts';
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
export function createStripeClient(settings: StripeSettings, requestLog?: ProviderRequestLog, policy?: ProviderPolicy): Stripe {
  const stripe = new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    // Every attempt under the provider policy (timeout, breaker, bulkhead). The SDK keeps its own retries,
    // with the same idempotency key; a refusal by the policy is answered as Stripe would answer "do not
    // retry", so an open breaker fails at once instead of after the SDK's backoff.
    ...(policy ? { httpClient: Stripe.createFetchHttpClient(policyFetch({ policy, idempotent: () => false, operation: stripeEndpoint, refused: refusedAsStripe })) } : {}),
    maxNetworkRetries: settings.maxNetworkRetries,
    timeout: settings.timeoutMs,
    telemetry: false,
    ...(settings.apiBase ?? {}),
  });
  if (requestLog) stripe.on('response', (event: Stripe.ResponseEvent) => requestLog.record(event.request_id));
  return stripe;
}

/** The header carrying the policy's own code through the SDK, back to the error mapping (errors.ts). */
export const REFUSED_CODE_HEADER = 'x-gateway-refused';

/** The policy's refusal as a Stripe API error answer that tells the SDK not to retry. */
async function refusedAsStripe(error: GraphQLError): Promise<Response> {
  const body = JSON.stringify({ error: { type: 'api_error', message: error.message } });
  const code = String(error.extensions['code'] ?? 'PROVIDER_UNAVAILABLE');
  return new Response(body, { status: 503, headers: { 'content-type': 'application/json', 'stripe-should-retry': 'false', [REFUSED_CODE_HEADER]: code } });
}

/** `GET /v1/customers/:id`: the endpoint of a call, ids folded, for metrics. */
function stripeEndpoint(input: string | URL | Request, init: RequestInit | undefined): string {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const path = url.pathname.replace(/\/(cus|pi|re|sub|in|prod|price|ch|pm|evt|seti|ii)_[A-Za-z0-9]+/g, '/:id');
  return `${(init?.method ?? 'GET').toUpperCase()} ${path}`;
}
