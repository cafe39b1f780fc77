import { describe, expect, it } from 'vitest';
import { isBlockedAddress, resolveTarget, urlProblems } from '../../subgraphs/webhooks/address-guard.ts';

describe('the address guard', () => {
  it('blocks loopback, private, link-local, metadata and mapped addresses, and allows public ones', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1']) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111']) expect(isBlockedAddress(address), address).toBe(false);
  });

  it('refuses a host resolving to a blocked address unless private addresses are allowed', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toThrow(/blocked/);
    await expect(resolveTarget('[::1]', false)).rejects.toThrow(/blocked/);
    expect(await resolveTarget('127.0.0.1', true)).toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('checks URLs before any DNS: scheme, credentials, literal private hosts', () => {
    const strict = { allowPrivate: false, requireHttps: true };
    expect(urlProblems('http://example.com/x', strict)).toBe('must be https');
    expect(urlProblems('https://user:pw@example.com/x', strict)).toBe('must not carry credentials');
    expect(urlProblems('https://169.254.169.254/latest', strict)).toMatch(/private/);
    expect(urlProblems('https://localhost:3000/', strict)).toMatch(/private/);
    expect(urlProblems('https://example.com/hooks', strict)).toBeUndefined();
    expect(urlProblems('http://127.0.0.1:4400/', { allowPrivate: true, requireHttps: false })).toBeUndefined();
  });
});
