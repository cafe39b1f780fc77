import { z } from 'zod';
import { env } from '../../kit/config.ts';

/**
 * Stripe's environment. Real when STRIPE_SECRET_KEY is set; otherwise `npm start` runs the emulator and
 * fills these in. STRIPE_API_BASE points the SDK elsewhere (the emulator, a recording proxy).
 */
export const stripeConfigSchema = z.object({
  STRIPE_SECRET_KEY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^(sk|rk)_(test|live)_\w+$/, { message: 'expected a secret or restricted key (sk_test_…, sk_live_…, rk_…)' }).optional(),
  ),
  STRIPE_WEBHOOK_SECRET: env.string(),
  STRIPE_API_BASE: env.url(['http:', 'https:']),
  STRIPE_MAX_NETWORK_RETRIES: env.positiveInt(2, 5),
});
export type StripeEnv = z.output<typeof stripeConfigSchema>;

export interface StripeSettings {
  secretKey: string;
  /** Without it, /webhooks/stripe is not served (cache entries then live out their TTL). */
  webhookSecret?: string | undefined;
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  maxNetworkRetries: number;
}

export function stripeSettingsFromEnv(config: StripeEnv): StripeSettings | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined;
  return {
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    apiBase: base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : undefined,
    maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
  };
}

export function hasRealStripeKey(environment: Record<string, string | undefined>): boolean {
  return Boolean(environment['STRIPE_SECRET_KEY']);
}
