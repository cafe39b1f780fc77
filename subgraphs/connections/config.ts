import { z } from 'zod';
import { baseConfigSchema, env, readConfig } from '../../kit/config.ts';
import type { Environment } from '../../kit/provider.ts';

/**
 * - CONNECTIONS_REDIRECT_URIS: where the browser may be sent back after connecting (comma-separated, exact
 *   match ignoring the query). Unset outside production: any http://localhost / 127.0.0.1 page.
 * - CONNECTIONS_PUBLIC_URL: the gateway's public base URL; providers call back `<it>/oauth/<provider>/callback`.
 *   Unset: the URL the gateway listens on (development).
 * - CONNECTIONS_STATE_TTL_SECONDS: how long a started connection may take (default 600).
 */
export const connectionsConfigSchema = z.object({
  NODE_ENV: baseConfigSchema.shape.NODE_ENV,
  CONNECTIONS_REDIRECT_URIS: env.string(),
  CONNECTIONS_PUBLIC_URL: env.url(['http:', 'https:']),
  CONNECTIONS_STATE_TTL_SECONDS: env.positiveInt(600, 3600),
});

export interface ConnectionsSettings {
  redirectAllowed(uri: string): boolean;
  publicUrl?: string | undefined;
  stateTtlMs: number;
}

export function connectionsSettingsFromEnv(environment: Environment): ConnectionsSettings {
  const config = readConfig(connectionsConfigSchema, environment);
  const allowed = (config.CONNECTIONS_REDIRECT_URIS ?? '').split(',').map((u) => u.trim()).filter(Boolean).map(withoutQuery);
  const loopbackAllowed = allowed.length === 0 && config.NODE_ENV !== 'production';
  return {
    redirectAllowed(uri) {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        return false;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
      if (url.username || url.password || url.hash) return false;
      if (loopbackAllowed) return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      return allowed.includes(withoutQuery(uri));
    },
    publicUrl: config.CONNECTIONS_PUBLIC_URL?.replace(/\/$/, ''),
    stateTtlMs: config.CONNECTIONS_STATE_TTL_SECONDS * 1000,
  };
}

function withoutQuery(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.origin}${url.pathname}`;
  } catch {
    return uri;
  }
}
