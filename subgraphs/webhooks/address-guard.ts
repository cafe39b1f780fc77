import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where deliveries may not go (SSRF): loopback, private, link-local (cloud metadata lives at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved and documentation ranges, and their IPv6 counterparts.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped or -compatible IPv6 address reaches the IPv4 host it embeds.
  const embedded = /^::(ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[2] ?? mappedHex(address);
  if (embedded) return blocked.check(embedded, 'ipv4');
  return blocked.check(address, 'ipv6');
}

/** `::ffff:7f00:1` → `127.0.0.1`. */
function mappedHex(address: string): string | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!match) return undefined;
  const [high, low] = [parseInt(match[1]!, 16), parseInt(match[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export class BlockedAddressError extends Error {
  readonly code = 'BLOCKED_ADDRESS';
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the host once and returns the address to connect to, which the request then uses (pinned), so
 * a DNS answer that changes between the check and the connection (rebinding) cannot reach a blocked one.
 * Every address of the answer must be allowed, not only the first.
 */
export async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const literal = isIP(host);
  const answers = literal ? [{ address: host, family: literal }] : await lookup(host, { all: true, verbatim: true });
  if (answers.length === 0) throw new Error(`no address for ${host}`);
  if (!allowPrivate) {
    const refused = answers.find((a) => isBlockedAddress(a.address));
    if (refused) throw new BlockedAddressError(`${host} resolves to a blocked address`);
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** Checks of a URL that need no DNS: done when an endpoint is created or updated. Returns problems. */
export function urlProblems(raw: string, { allowPrivate, requireHttps }: { allowPrivate: boolean; requireHttps: boolean }): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (requireHttps && url.protocol !== 'https:') return 'must be https';
  if (url.username || url.password) return 'must not carry credentials';
  if (raw.length > 2048) return 'longer than 2048 characters';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!allowPrivate && (isIP(host) ? isBlockedAddress(host) : host === 'localhost' || host.endsWith('.localhost'))) return 'points at a private, loopback or link-local address';
  return undefined;
}
