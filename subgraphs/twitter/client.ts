import { TwitterApi, type TwitterApiReadOnly, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { ProviderRequestLog } from '../../kit/resilience/provider-request-log.ts';
import type { QuotaTracker } from '../../kit/resilience/quota.ts';
import { baseUrlPlugin, clientSettingsFor } from './base-url-plugin.ts';
import type { TwitterSettings } from './config.ts';
import { quotaPlugin, userQuotaPlugin } from './quota-plugin.ts';
import { requestIdPlugin } from './request-id-plugin.ts';

export interface TwitterClients {
  /** App-only (bearer token): every read. */
  reader: TwitterApiReadOnly;
  /** User context: posting and deleting, as the configured account. Absent when no user token is configured. */
  writer?: TwitterApi | undefined;
  /**
   * A client acting as one user, with their connection's access token (same transport). X counts its calls
   * against that user's own windows, so its readings go to `userQuota` (and the app's 24-hour caps to the app's).
   */
  forUser(accessToken: string, userQuota: QuotaTracker): TwitterApi;
  /** Releases the keep-alive sockets of the plain-http agent (emulator). */
  close(): void;
}

/**
 * twitter-api-v2 clients. The library never retries requests (only streams reconnect), so failures surface
 * as they are; quota readings (and, with `requestLog`, X's `x-transaction-id`s) are recorded from every
 * answer by plugins.
 */
export function createTwitterClients(settings: TwitterSettings, quota: QuotaTracker, requestLog?: ProviderRequestLog): TwitterClients {
  const transport: ITwitterApiClientPlugin[] = [...(requestLog ? [requestIdPlugin(requestLog)] : []), ...(settings.apiBase ? [baseUrlPlugin(settings.apiBase)] : [])];
  const agentSettings = settings.apiBase ? clientSettingsFor(settings.apiBase) : {};
  const clientSettings = { plugins: [quotaPlugin(quota), ...transport], ...agentSettings };
  return {
    reader: new TwitterApi(settings.bearerToken, clientSettings).readOnly,
    writer: settings.userAccessToken ? new TwitterApi(settings.userAccessToken, clientSettings) : undefined,
    forUser: (accessToken, userQuota) => new TwitterApi(accessToken, { plugins: [userQuotaPlugin(userQuota, quota), ...transport], ...agentSettings }),
    close: () => agentSettings.httpAgent?.destroy(),
  };
}
