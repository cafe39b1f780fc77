import { z } from 'zod';
import { env } from '../../kit/config.ts';

/**
 * GitHub's environment. Real when GITHUB_TOKEN is set (a fine-grained or classic token; it is also the
 * identity that stars repositories and opens issues); otherwise `npm start` runs the emulator.
 */
export const githubConfigSchema = z.object({
  GITHUB_TOKEN: env.string(),
  GITHUB_API_BASE: env.url(['http:', 'https:']),
  GITHUB_WEBHOOK_SECRET: env.string(),
});
export type GitHubEnv = z.output<typeof githubConfigSchema>;

export interface GitHubSettings {
  token: string;
  /** GitHub's REST base; the GraphQL endpoint is `${apiBase}/graphql`. */
  apiBase: string;
  webhookSecret?: string | undefined;
}

export function githubSettingsFromEnv(config: GitHubEnv): GitHubSettings | undefined {
  if (!config.GITHUB_TOKEN) return undefined;
  return { token: config.GITHUB_TOKEN, apiBase: (config.GITHUB_API_BASE ?? 'https://api.github.com').replace(/\/$/, ''), webhookSecret: config.GITHUB_WEBHOOK_SECRET };
}

export function hasRealGitHubToken(environment: Record<string, string | undefined>): boolean {
  return Boolean(environment['GITHUB_TOKEN']);
}
