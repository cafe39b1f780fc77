import type { IncomingHttpHeaders } from 'node:http';
import { invalidRequest, type StripeApiError } from './stripe-error.ts';

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/**
 * Stripe takes the secret key as a Bearer token or as the user name of Basic auth (what `curl -u sk_…:`
 * sends). Returns the refusal, or undefined when the key is the emulator's.
 */
export function checkApiKey(headers: IncomingHttpHeaders, apiKey: string): StripeApiError | undefined {
  const presented = presentedKey(headers.authorization);
  if (presented === undefined || presented === '') return invalidRequest(NO_KEY_MESSAGE, { status: 401 });
  if (presented !== apiKey) {
    return invalidRequest(`Invalid API Key provided: ${redactKey(presented)}`, { status: 401 });
  }
  return undefined;
}

function presentedKey(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  switch (scheme.toLowerCase()) {
    case 'bearer':
      return credentials;
    case 'basic': {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon === -1 ? decoded : decoded.slice(0, colon);
    }
    default:
      return undefined;
  }
}

/** Never echo a key: keep its `sk_test_`-style prefix and last four characters, like Stripe. */
export function redactKey(key: string): string {
  const prefix = /^(?:sk|rk|pk)_(?:test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  const visible = rest.length > 8 ? rest.slice(-4) : '';
  return `${prefix}${'*'.repeat(Math.max(rest.length - visible.length, 4))}${visible}`;
}
