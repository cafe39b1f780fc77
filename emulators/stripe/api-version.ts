import Stripe from 'stripe';

/**
 * The version the emulator speaks and reports when a request names none: the one the installed SDK's
 * types describe, so objects built against those types are what the SDK expects to read.
 */
export const DEFAULT_API_VERSION: string = Stripe.API_VERSION;

/** Stripe's version names: a date, and since 2024-09-30 a release name (`2024-09-30.acacia`). */
const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

/**
 * Why Stripe would refuse a request's `Stripe-Version`, or undefined when it is the one the emulator speaks
 * (or none was sent: the account's default, which here is the emulator's). Stripe answers 400 to a version
 * it does not know; an older version it knows, the emulator cannot model (its objects have this version's
 * shape), so it refuses it too rather than answer in a shape the client did not ask for.
 */
export function apiVersionProblem(requested: string | undefined): string | undefined {
  if (requested === undefined || requested === DEFAULT_API_VERSION) return undefined;
  const invalid = `Invalid Stripe API version: ${requested}`;
  if (!VERSION_FORMAT.test(requested)) return invalid;
  // A date that does not exist, or one after this version's: no Stripe version has it.
  const date = requested.slice(0, 10);
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date || date > DEFAULT_API_VERSION.slice(0, 10)) return invalid;
  return `${invalid} (the emulator speaks ${DEFAULT_API_VERSION} only)`;
}
