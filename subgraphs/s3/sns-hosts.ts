/**
 * Where SNS may send us to: the signing certificate (SigningCertURL) and the subscription confirmation
 * (SubscribeURL). A rule is either
 * - a RegExp, tested against the host of an `https:` URL on the default port (`sns.eu-west-1.amazonaws.com`), or
 * - an origin string, `https://host[:port]` or `http://host:port`, which a URL must match exactly
 *   (scheme, host and port). A bare `host[:port]` means `https://host[:port]`. Plain `http:` is only
 *   ever allowed this way, named explicitly: it is for a local emulator.
 */
export type SnsHostRule = RegExp | string;

/** Amazon SNS itself, in every region (and the China regions). */
export const AWS_SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
export const DEFAULT_SNS_HOSTS: readonly SnsHostRule[] = [AWS_SNS_HOST];

export interface SnsHostPolicy {
  /** True for a URL the certificate may be fetched from: an allowed host and a path ending in `.pem`. */
  certificateUrl(url: string): boolean;
  /** True for a URL SNS may ask us to GET (SubscribeURL): an allowed host. */
  subscribeUrl(url: string): boolean;
}

/** The origin an origin rule stands for; throws for anything but an http(s) origin. */
function originOf(rule: string): string {
  const url = new URL(rule.includes('://') ? rule : `https://${rule}`);
  const bare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) throw new Error('expected an origin such as https://host or http://host:port');
  return url.origin;
}

/** True for a string createSnsHostPolicy accepts as an origin rule (configuration checks). */
export function isSnsOrigin(rule: string): boolean {
  try {
    originOf(rule);
    return true;
  } catch {
    return false;
  }
}

/** Throws on an origin string that is not an http(s) origin, so that a typo fails at start-up. */
export function createSnsHostPolicy(rules: readonly SnsHostRule[] = DEFAULT_SNS_HOSTS): SnsHostPolicy {
  // Without g/y, whose lastIndex would make test() answer differently on every call.
  const patterns = rules.filter((rule): rule is RegExp => rule instanceof RegExp).map((rule) => new RegExp(rule.source, rule.flags.replace(/[gy]/g, '')));
  const origins = new Set(rules.filter((rule): rule is string => typeof rule === 'string').map(originOf));
  const allowed = (text: string): URL | undefined => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (url.username || url.password) return undefined;
    if (origins.has(url.origin)) return url;
    // url.port is '' for the scheme's default port, so a pattern can never be satisfied via another port.
    if (url.protocol === 'https:' && url.port === '' && patterns.some((pattern) => pattern.test(url.hostname))) return url;
    return undefined;
  };
  return {
    certificateUrl: (text) => allowed(text)?.pathname.endsWith('.pem') ?? false,
    subscribeUrl: (text) => allowed(text) !== undefined,
  };
}
