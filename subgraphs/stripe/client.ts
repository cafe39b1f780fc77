import type { GraphQLError } from 'graphql';
import Stripe from 'stripe';
import { createCallBudget, type CallBudget } from '../../kit/resilience/call-budget.ts';
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
 * With a policy, every call is bounded by the policy's timeout as a whole, the SDK's retries included:
 * each attempt gets what is left of it, a retry that would start after it is not sent, and an attempt
 * cut short is answered as "do not retry" (PROVIDER_TIMEOUT). The SDK's own timeout is then only a
 * backstop, above the policy's, so that it never races it (which ended in a retry and
 * PROVIDER_UNAVAILABLE).
 *
 * With `requestLog`, the `Request-Id` of every answer (errors included) is recorded there, from the SDK's
 * `response` event. stripe-node emits that event once per call, for the attempt that settled it: the ids of
 * attempts it retried are not reported.
 */
export function createStripeClient(settings: StripeSettings, requestLog?: ProviderRequestLog, policy?: ProviderPolicy): Stripe {
  const budget = policy ? createCallBudget(policy.timeoutMs) : undefined;
  const stripe = new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    // Every attempt under the provider policy (timeout, breaker, bulkhead). The SDK keeps its own retries,
    // with the same idempotency key; a refusal by the policy is answered as Stripe would answer "do not
    // retry", so an open breaker fails at once instead of after the SDK's backoff.
    ...(policy ? { httpClient: Stripe.createFetchHttpClient(policyFetch({ policy, budget, idempotent: () => false, operation: stripeEndpoint, refused: refusedAsStripe })) } : {}),
    maxNetworkRetries: settings.maxNetworkRetries,
    ...(policy ? { timeout: policy.timeoutMs + SDK_TIMEOUT_MARGIN_MS } : {}),
    telemetry: false,
    ...(settings.apiBase ?? {}),
  });
  if (requestLog) stripe.on('response', (event: Stripe.ResponseEvent) => requestLog.record(event.request_id));
  return budget ? withinBudget(stripe, budget) : stripe;
}

/** How far above the policy's bound the SDK's own per-attempt timeout sits (a backstop, never the bound). */
const SDK_TIMEOUT_MARGIN_MS = 1_000;

/**
 * The client with every API method (`stripe.customers.retrieve`, …) started inside a call budget. Only
 * the resources are wrapped; everything else on the client (`on`, `webhooks`, configuration) is as is.
 */
function withinBudget(stripe: Stripe, budget: CallBudget): Stripe {
  const resources = new Map<PropertyKey, unknown>();
  const wrapResource = (resource: object) =>
    new Proxy(resource, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (...args: unknown[]) => budget.within(() => Reflect.apply(value, target, args)) : value;
      },
    });
  return new Proxy(stripe, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (!(value instanceof Stripe.StripeResource)) return value;
      if (!resources.has(key)) resources.set(key, wrapResource(value));
      return resources.get(key);
    },
  });
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
  // `cs_test_…` (Checkout Sessions) has underscores inside the id.
  const path = url.pathname.replace(/\/(cus|pi|re|sub|in|prod|price|ch|pm|evt|seti|ii|cs)_[A-Za-z0-9_]+/g, '/:id');
  return `${(init?.method ?? 'GET').toUpperCase()} ${path}`;
}
