import { Agent } from 'node:http';
import type { IClientSettings, IGetHttpRequestArgs, ITwitterApiClientPlugin } from 'twitter-api-v2';

/**
 * Points the real `twitter-api-v2` client at another base URL (the emulator, a recording proxy…).
 *
 * twitter-api-v2 1.29.1 has no base-URL option: every endpoint is a hard-coded `https://api.x.com/…`
 * (`upload.x.com`, `stream.x.com`, `ads-api…twitter.com` for some), and `cloneWithPrefix` is broken. This
 * plugin rewrites each request's URL, before the library signs and sends it, to the same path and query
 * on `baseUrl` (keeping any path prefix of `baseUrl`). URLs on other hosts are left alone.
 *
 * For a plain-http base the library also needs an http agent (it sends through `https.request`, which
 * refuses `http:` URLs unless given an `http.Agent`): spread `clientSettingsFor(baseUrl)` into the settings.
 *
 * @example
 * const url = 'http://127.0.0.1:4010';
 * const client = new TwitterApi(bearerToken, { plugins: [baseUrlPlugin(url)], ...clientSettingsFor(url) });
 * const { data } = await client.v2.userByUsername('ada_builds');
 *
 * Known gap: OAuth 1.0a token endpoints (`/oauth/…`) answer form-encoded bodies, which the library only
 * recognises on `https://api.x.com/oauth/`; through this plugin they parse as text.
 */
export function baseUrlPlugin(baseUrl: string): ITwitterApiClientPlugin {
  const base = parseBaseUrl(baseUrl);
  const rewrite = ({ params }: { params: IGetHttpRequestArgs }): void => {
    const original = parseRequestUrl(params.url);
    if (!isXHost(original.hostname)) return;
    keepHostDependentBodyMode(params, original);
    params.url = `${base.origin}${base.pathPrefix}${original.pathname}${original.search}`;
  };
  return { onBeforeRequestConfig: rewrite, onBeforeStreamRequestConfig: rewrite };
}

/**
 * Transport settings the client needs to reach `baseUrl`: a keep-alive `http.Agent` for plain http, nothing
 * for https (the library's default agent serves it). The agent belongs to the caller: `destroy()` it when
 * the client is no longer used, to close its idle sockets at once.
 */
export function clientSettingsFor(baseUrl: string): Pick<Partial<IClientSettings>, 'httpAgent'> {
  return parseBaseUrl(baseUrl).protocol === 'http:' ? { httpAgent: new Agent({ keepAlive: true }) } : {};
}

interface BaseUrl {
  protocol: 'http:' | 'https:';
  origin: string;
  /** '' or a path without trailing slash, e.g. '/twitter'. */
  pathPrefix: string;
}

function parseBaseUrl(baseUrl: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`expected an http(s) base URL, got ${baseUrl}`);
  }
  if (url.search !== '' || url.hash !== '') throw new TypeError(`a base URL has no query or fragment: ${baseUrl}`);
  return { protocol: url.protocol, origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

/** The library accepts endpoint URLs without a scheme and prefixes `https://`; do the same. */
function parseRequestUrl(url: string): URL {
  return new URL(url.startsWith('http') ? url : `https://${url}`);
}

function isXHost(hostname: string): boolean {
  return /(^|\.)(x|twitter)\.com$/.test(hostname);
}

/**
 * The library picks the body encoding of v1.1 media uploads from the host name (`upload.x.com`), which
 * the rewrite changes: pin the encoding it would have chosen, unless the caller already forced one.
 */
function keepHostDependentBodyMode(params: IGetHttpRequestArgs, original: URL): void {
  if (params.forceBodyMode !== undefined || !/^upload\.(x|twitter)\.com$/.test(original.hostname)) return;
  params.forceBodyMode = original.pathname === '/1.1/media/upload.json' ? 'form-data' : 'json';
}
