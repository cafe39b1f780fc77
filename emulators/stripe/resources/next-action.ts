import type Stripe from 'stripe';

/** Where the emulated 3-D Secure page of an intent lives (GET shows it, POST completes it). */
export function authenticationUrl(baseUrl: string, intent: { id: string; client_secret: string | null }): string {
  return `${baseUrl}/_emulator/authenticate/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`;
}

/**
 * The `next_action` of an intent waiting for 3-D Secure: with a `return_url`, a redirect to the
 * authentication page, which sends the customer back there; without, `use_stripe_sdk`, which Stripe.js
 * handles in a modal (its `stripe_js` entry is the same page here).
 */
export function threeDSecureAction(baseUrl: string, intent: { id: string; client_secret: string | null }, returnUrl: string | undefined): Stripe.PaymentIntent.NextAction & Stripe.SetupIntent.NextAction {
  const url = authenticationUrl(baseUrl, intent);
  if (returnUrl) return { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } };
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: `src_${intent.id.slice(intent.id.indexOf('_') + 1)}` } };
}
