import { TwitterApi, type TwitterApiReadOnly, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { baseUrlPlugin, clientSettingsFor } from './base-url-plugin.ts';
import type { TwitterSettings } from './config.ts';
import { quotaPlugin } from './quota-plugin.ts';
import { requestIdPlugin } from './request-id-plugin.ts';

export interface TwitterClients {
  /** App-only (bearer token): every read. */
  reader: TwitterApiReadOnly;
  /** User context: posting and deleting, as the configured account. Absent when no user token is configured. */
  writer?: TwitterApi | undefined;
  /** A client acting as one user, with their connection's access token (same plugins and transport). */
  forUser(accessToken: string): TwitterApi;
  /** Releases the keep-alive sockets of the plain-http agent (emulator). */
  close(): void;
}

/**
 * twitter-api-v2 clients. The library never retries requests (only streams reconnect), so failures surface
 * as they are; quota readings (and, with `requestLog`, X's `x-transaction-id`s) are recorded from every
 * answer by plugins.
 */
export function createTwitterClients(settings: TwitterSettings, quota: QuotaTracker, requestLog?: ProviderRequestLog): TwitterClients {
  const plugins: ITwitterApiClientPlugin[] = [
    quotaPlugin(quota),
    ...(requestLog ? [requestIdPlugin(requestLog)] : []),
    ...(settings.apiBase ? [baseUrlPlugin(settings.apiBase)] : []),
  ];
  const agentSettings = settings.apiBase ? clientSettingsFor(settings.apiBase) : {};
  const clientSettings = { plugins, ...agentSettings };
  return {
    reader: new TwitterApi(settings.bearerToken, clientSettings).readOnly,
    writer: settings.userAccessToken ? new TwitterApi(settings.userAccessToken, clientSettings) : undefined,
    forUser: (accessToken) => new TwitterApi(accessToken, clientSettings),
    close: () => agentSettings.httpAgent?.destroy(),
  };
}
