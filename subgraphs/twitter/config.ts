import { z } from 'zod';
import { env } from '../../kit/config.ts';

/**
 * X's environment. Real when TWITTER_BEARER_TOKEN (app-only, for reads) is set; otherwise `npm start` runs
 * the emulator. Posting needs a user-context token (TWITTER_USER_ACCESS_TOKEN, OAuth 2.0 with tweet.write);
 * webhooks need the app's consumer secret.
 */
export const twitterConfigSchema = z.object({
  TWITTER_BEARER_TOKEN: env.string(),
  TWITTER_USER_ACCESS_TOKEN: env.string(),
  TWITTER_CONSUMER_SECRET: env.string(),
  TWITTER_API_BASE: env.url(['http:', 'https:']),
});
export type TwitterEnv = z.output<typeof twitterConfigSchema>;

export interface TwitterSettings {
  bearerToken: string;
  userAccessToken?: string | undefined;
  consumerSecret?: string | undefined;
  /** Where requests go instead of https://api.x.com (the emulator). */
  apiBase?: string | undefined;
}

export function twitterSettingsFromEnv(config: TwitterEnv): TwitterSettings | undefined {
  if (!config.TWITTER_BEARER_TOKEN) return undefined;
  return {
    bearerToken: config.TWITTER_BEARER_TOKEN,
    userAccessToken: config.TWITTER_USER_ACCESS_TOKEN,
    consumerSecret: config.TWITTER_CONSUMER_SECRET,
    apiBase: config.TWITTER_API_BASE,
  };
}

export function hasRealTwitterToken(environment: Record<string, string | undefined>): boolean {
  return Boolean(environment['TWITTER_BEARER_TOKEN']);
}
