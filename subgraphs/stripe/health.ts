import type Stripe from 'stripe';
import { probe, type HealthReport } from '../../kit/health.ts';

/** Reachable and the key accepted: the cheapest authenticated call, one product. */
export function checkStripeHealth(stripe: Stripe): Promise<HealthReport> {
  return probe(() => stripe.products.list({ limit: 1 }));
}
