import Stripe from 'stripe';
import type { StripeEmulator } from './server.ts';

/** The real SDK, pointed at an emulator (plain http, the emulator's key). */
export function stripeClientFor(emulator: Pick<StripeEmulator, 'apiKey' | 'host' | 'port'>, config: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(emulator.apiKey, { ...config, host: emulator.host, port: emulator.port, protocol: 'http' });
}
