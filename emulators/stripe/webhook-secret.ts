/**
 * The signing secret the Stripe emulator and the gateway share when no real Stripe key is configured.
 * Public on purpose: it only ever signs the emulator's own events on a developer's machine.
 */
export const STRIPE_EMULATOR_WEBHOOK_SECRET = 'whsec_emulator_local_development_only';
