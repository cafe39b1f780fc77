import { DEFAULT_S3_EMULATOR_CREDENTIALS, s3EmulatorTopicArn, startS3Emulator } from './s3/server.ts';
import { SEED_BUCKETS } from './s3/fixtures/seed.ts';
import { DEFAULT_STRIPE_EMULATOR_API_KEY, startStripeEmulator } from './stripe/server.ts';
import { GITHUB_EMULATOR_WEBHOOK_SECRET, STRIPE_EMULATOR_WEBHOOK_SECRET } from './dev-secrets.ts';
import { DEFAULT_GITHUB_EMULATOR_TOKEN, GITHUB_EMULATOR_OAUTH_CLIENT, startGitHubEmulator } from './github/server.ts';
import { DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN, DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET, startTwitterEmulator } from './twitter/server.ts';
import { TWITTER_EMULATOR_USER_TOKEN } from './twitter/user-token.ts';
import { TWITTER_EMULATOR_OAUTH_CLIENT } from './twitter/oauth.ts';
import { faultProfileFromEnv } from './shared/faults.ts';
import { parseTier } from './twitter/rate-limits.ts';
import { WEBHOOK_CHAOS_ENV, webhookChaosFromEnv } from './stripe/webhook-chaos.ts';

export interface RunningEmulator {
  readonly url: string;
  /** One line for the start-up banner: how a developer reaches it with their own tools. */
  readonly hint: string;
  /** Called once the gateway listens, for emulators that call it back (webhook deliveries). */
  connectGateway?(gatewayBaseUrl: string): void;
  close(): Promise<void>;
}

export interface EmulatorStarter {
  /**
   * Starts the emulator. Its fault profile (shared/faults.ts) comes from `env` (the process's by default):
   * `EMULATOR_FAULTS_<NAME>` (S3, STRIPE, GITHUB, TWITTER) or else `EMULATOR_FAULTS`: JSON such as `{"errorRate":0.1,"seed":7}`. An
   * invalid one fails the start with a FaultProfileError naming the variable.
   */
  start(options: { host: string; port: number; env?: Readonly<Record<string, string | undefined>> }): Promise<RunningEmulator>;
  /** The provider's environment variables that point its subgraph at an emulator listening at `url`. */
  env(url: string): Readonly<Record<string, string>>;
  /**
   * What is wrong with the emulator's own variables in `env` (its fault profile, and the like), each named
   * and never quoted: checked with the rest of the configuration, before anything starts.
   */
  problems(env: Readonly<Record<string, string | undefined>>): readonly string[];
}

/** The messages of the checks that throw (each names its variable, never its value). */
function problemsOf(...checks: (() => unknown)[]): string[] {
  const found: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      found.push(error instanceof Error ? error.message : String(error));
    }
  }
  return found;
}

const S3_REGION = 'us-east-1';

/** The local stand-in for each provider, by provider name. Adding a provider adds one entry. */
export const emulators: Readonly<Record<string, EmulatorStarter>> = {
  s3: {
    async start({ host, port, env = process.env }) {
      const emulator = await startS3Emulator({
        host,
        port,
        region: S3_REGION,
        credentials: DEFAULT_S3_EMULATOR_CREDENTIALS,
        faults: faultProfileFromEnv('S3', env),
      });
      return {
        url: emulator.url,
        hint: `S3-compatible, path-style, region ${S3_REGION}, access key "${DEFAULT_S3_EMULATOR_CREDENTIALS.accessKeyId}", secret "${DEFAULT_S3_EMULATOR_CREDENTIALS.secretAccessKey}" (emulator-only); object events go to /webhooks/s3 through its SNS topic`,
        connectGateway: (base: string) => emulator.sns.subscribe(`${base}/webhooks/s3`),
        close: () => emulator.close(),
      };
    },
    env: (url) => ({
      S3_ENDPOINT: url,
      S3_REGION,
      S3_ACCESS_KEY_ID: DEFAULT_S3_EMULATOR_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: DEFAULT_S3_EMULATOR_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
      S3_BUCKETS: Object.values(SEED_BUCKETS).join(','),
      S3_FILES_BUCKET: SEED_BUCKETS.customerFiles,
      S3_SNS_TOPIC_ARNS: s3EmulatorTopicArn(S3_REGION),
      // The emulator signs its SNS messages with its own certificate, served from its own origin.
      S3_SNS_CERT_HOSTS: url,
    }),
    problems: (env) => problemsOf(() => faultProfileFromEnv('S3', env)),
  },
  stripe: {
    async start({ host, port, env = process.env }) {
      const emulator = await startStripeEmulator({ host, port, faults: faultProfileFromEnv('STRIPE', env) });
      return {
        url: emulator.url,
        hint: `Stripe API, secret key "${DEFAULT_STRIPE_EMULATOR_API_KEY}"; events are delivered to the gateway's /webhooks/stripe`,
        connectGateway: (base) => emulator.setWebhook({ url: `${base}/webhooks/stripe`, secret: STRIPE_EMULATOR_WEBHOOK_SECRET }),
        close: () => emulator.close(),
      };
    },
    env: (url) => ({
      STRIPE_SECRET_KEY: DEFAULT_STRIPE_EMULATOR_API_KEY,
      STRIPE_API_BASE: url,
      STRIPE_WEBHOOK_SECRET: STRIPE_EMULATOR_WEBHOOK_SECRET,
    }),
    problems: (env) => problemsOf(() => faultProfileFromEnv('STRIPE', env), () => webhookChaosFromEnv(env[WEBHOOK_CHAOS_ENV])),
  },
  github: {
    async start({ host, port, env = process.env }) {
      const emulator = await startGitHubEmulator({ host, port, faults: faultProfileFromEnv('GITHUB', env) });
      return {
        url: emulator.url,
        hint: `GitHub GraphQL API at /graphql (GitHub's real schema), token "${DEFAULT_GITHUB_EMULATOR_TOKEN}"; OAuth at /login/oauth/authorize; events go to /webhooks/github`,
        connectGateway: (base) => emulator.setWebhook({ url: `${base}/webhooks/github`, secret: GITHUB_EMULATOR_WEBHOOK_SECRET }),
        close: () => emulator.close(),
      };
    },
    env: (url) => ({
      GITHUB_TOKEN: DEFAULT_GITHUB_EMULATOR_TOKEN,
      GITHUB_API_BASE: url,
      GITHUB_WEBHOOK_SECRET: GITHUB_EMULATOR_WEBHOOK_SECRET,
      // The emulator serves github.com's OAuth pages and api.github.com on one origin.
      GITHUB_OAUTH_CLIENT_ID: GITHUB_EMULATOR_OAUTH_CLIENT.clientId,
      GITHUB_OAUTH_CLIENT_SECRET: GITHUB_EMULATOR_OAUTH_CLIENT.clientSecret!,
      GITHUB_OAUTH_BASE: url,
    }),
    problems: (env) => problemsOf(() => faultProfileFromEnv('GITHUB', env)),
  },
  twitter: {
    async start({ host, port, env = process.env }) {
      const emulator = await startTwitterEmulator({ host, port, faults: faultProfileFromEnv('TWITTER', env) });
      return {
        url: emulator.url,
        hint: `X API v2 at /2, bearer token "${DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN}"; events go to /webhooks/twitter`,
        connectGateway: (base) => emulator.setWebhook({ url: `${base}/webhooks/twitter` }),
        close: () => emulator.close(),
      };
    },
    env: (url) => ({
      TWITTER_BEARER_TOKEN: DEFAULT_TWITTER_EMULATOR_BEARER_TOKEN,
      TWITTER_USER_ACCESS_TOKEN: TWITTER_EMULATOR_USER_TOKEN,
      TWITTER_CONSUMER_SECRET: DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET,
      TWITTER_API_BASE: url,
      TWITTER_OAUTH_CLIENT_ID: TWITTER_EMULATOR_OAUTH_CLIENT.clientId,
      TWITTER_OAUTH_CLIENT_SECRET: TWITTER_EMULATOR_OAUTH_CLIENT.clientSecret!,
    }),
    problems: (env) => problemsOf(() => faultProfileFromEnv('TWITTER', env), () => parseTier(env['EMULATOR_X_TIER'])),
  },
};
