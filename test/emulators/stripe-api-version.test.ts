import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_VERSION } from '../../emulators/stripe/api-version.ts';
import { stripeClientFor } from '../../emulators/stripe/client-for.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/server.ts';
import { STRIPE_API_VERSION } from '../../subgraphs/stripe/client.ts';

async function refusal(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the Stripe call to be refused');
}

describe('Stripe emulator: API versions', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = stripeClientFor(emulator, { maxNetworkRetries: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('speaks the version the payments subgraph pins', () => {
    expect(DEFAULT_API_VERSION).toBe(STRIPE_API_VERSION);
  });

  it('refuses an unknown Stripe-Version with a 400, as Stripe does, and changes nothing', async () => {
    const before = (await stripe.customers.list({ limit: 100 })).data.length;
    const unknown = await refusal(stripe.customers.create({ name: 'Nobody' }, { apiVersion: '2099-13-45' }));
    expect(unknown.type).toBe('StripeInvalidRequestError');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toBe('Invalid Stripe API version: 2099-13-45');
    expect((await stripe.customers.list({ limit: 100 })).data.length).toBe(before);
  });

  it('refuses an older version too, which it cannot answer in the shape asked for', async () => {
    const older = await refusal(stripe.customers.list({}, { apiVersion: '2024-09-30.acacia' }));
    expect(older.statusCode).toBe(400);
    expect(older.message).toMatch(/^Invalid Stripe API version: 2024-09-30\.acacia \(the emulator speaks /);
  });
});
