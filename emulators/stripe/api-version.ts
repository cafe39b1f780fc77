import Stripe from 'stripe';

/**
 * The version the emulator speaks and reports when a request names none: the one the installed SDK's
 * types describe, so objects built against those types are what the SDK expects to read.
 */
export const DEFAULT_API_VERSION: string = Stripe.API_VERSION;
