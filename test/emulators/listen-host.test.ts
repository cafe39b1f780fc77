import { describe, expect, it } from 'vitest';
import { startGitHubEmulator } from '../../emulators/github/server.ts';
import { startStripeEmulator } from '../../emulators/stripe/server.ts';
import { startTwitterEmulator } from '../../emulators/twitter/server.ts';

// 192.0.2.1 is TEST-NET-1 (RFC 5737): a valid address that is never this machine's, so binding fails at once.
const NOT_OURS = '192.0.2.1';

describe('an emulator asked to listen on an address that is not this machine', () => {
  it.each([
    ['Stripe', () => startStripeEmulator({ host: NOT_OURS, seed: false })],
    ['GitHub', () => startGitHubEmulator({ host: NOT_OURS })],
    ['X', () => startTwitterEmulator({ host: NOT_OURS })],
  ])('%s: refuses to start, naming the address and the HOST setting', async (_, start) => {
    await expect(start()).rejects.toThrow(`emulator: cannot listen on ${NOT_OURS}:0: not an address of this machine (check HOST)`);
  });
});
