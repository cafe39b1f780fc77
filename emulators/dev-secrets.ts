/**
 * Signing secrets the emulators and the gateway share when no real provider is configured.
 * Public on purpose: they only ever sign the emulators' own events on a developer's machine.
 */
export const STRIPE_EMULATOR_WEBHOOK_SECRET = 'whsec_emulator_local_development_only';
export const GITHUB_EMULATOR_WEBHOOK_SECRET = 'github-emulator-local-development-only';
