import { z } from 'zod';
import { env } from '../../kit/config.ts';
import { isSnsOrigin } from './sns-hosts.ts';
import { SNS_TOPIC_ARN_PATTERN } from './sns-message.ts';

/**
 * S3's environment. The provider is "real" when S3_ACCESS_KEY_ID is set; otherwise `npm start` runs the
 * local emulator and fills these in itself. Provider-prefixed names, so that AWS credentials a developer
 * happens to have in their shell never switch the gateway to a real account by surprise.
 */
export const s3ConfigSchema = z
  .object({
    S3_ENDPOINT: env.url(['http:', 'https:']),
    S3_REGION: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[a-z0-9-]+$/, { message: 'expected a region such as eu-west-1' }).default('us-east-1')),
    S3_ACCESS_KEY_ID: env.string(),
    S3_SECRET_ACCESS_KEY: env.string(),
    S3_SESSION_TOKEN: env.string(),
    S3_BUCKETS: env.list(),
    S3_FILES_BUCKET: env.string(),
    S3_SNS_TOPIC_ARNS: env.list(),
    S3_SNS_CERT_HOSTS: env.list(),
    S3_FORCE_PATH_STYLE: env.boolean(false),
    // One presigned PUT, whose exact length is a GraphQL Int: at most 2 GiB - 1 (S3 allows 5 GiB per PUT).
    S3_UPLOAD_MAX_BYTES: env.positiveInt(25 * 1024 * 1024, 2 ** 31 - 1),
    S3_URL_MAX_EXPIRES_SECONDS: env.positiveInt(3600, 604800),
  })
  .superRefine((value, ctx) => {
    if (Boolean(value.S3_ACCESS_KEY_ID) !== Boolean(value.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together' });
    }
    if (value.S3_SNS_TOPIC_ARNS?.some((arn) => !SNS_TOPIC_ARN_PATTERN.test(arn))) {
      ctx.addIssue({ code: 'custom', path: ['S3_SNS_TOPIC_ARNS'], message: 'expected comma-separated SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>)' });
    }
    if (value.S3_SNS_CERT_HOSTS?.some((origin) => !isSnsOrigin(origin))) {
      ctx.addIssue({ code: 'custom', path: ['S3_SNS_CERT_HOSTS'], message: 'expected comma-separated origins such as https://sns.eu-west-1.amazonaws.com or http://127.0.0.1:4011' });
    }
    if (value.S3_FILES_BUCKET && !value.S3_BUCKETS?.includes(value.S3_FILES_BUCKET)) {
      ctx.addIssue({ code: 'custom', path: ['S3_FILES_BUCKET'], message: 'must be one of S3_BUCKETS' });
    }
    if (value.S3_ACCESS_KEY_ID && !value.S3_BUCKETS?.length) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKETS'], message: 'required with real credentials: the comma-separated buckets to expose' });
    }
  });
export type S3Env = z.output<typeof s3ConfigSchema>;

/** What the S3 subgraph needs, independent of where it came from (environment or a started emulator). */
export interface S3Settings {
  endpoint?: string | undefined;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  forcePathStyle: boolean;
  /** The only buckets this subgraph will touch; any other name is NOT_FOUND without a provider call. */
  buckets: readonly string[];
  /** Where each user's files live, under their storage prefix (`Viewer.files`); none: viewers have no files. */
  filesBucket?: string | undefined;
  /** SNS topics whose S3 event notifications /webhooks/s3 accepts; none: the route is not served. */
  snsTopicArns?: readonly string[] | undefined;
  /** Origins the SNS signing certificate and SubscribeURL may come from; undefined: Amazon SNS over https. */
  snsCertHosts?: readonly string[] | undefined;
  uploadMaxBytes: number;
  urlMaxExpiresSeconds: number;
}

export function s3SettingsFromEnv(config: S3Env): S3Settings {
  return {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, sessionToken: config.S3_SESSION_TOKEN }
        : undefined,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    buckets: config.S3_BUCKETS ?? [],
    filesBucket: config.S3_FILES_BUCKET,
    snsTopicArns: config.S3_SNS_TOPIC_ARNS,
    snsCertHosts: config.S3_SNS_CERT_HOSTS,
    uploadMaxBytes: config.S3_UPLOAD_MAX_BYTES,
    urlMaxExpiresSeconds: config.S3_URL_MAX_EXPIRES_SECONDS,
  };
}

/** True when the environment points at a real S3 account, so no emulator should be started. */
export function hasRealS3Credentials(environment: Record<string, string | undefined>): boolean {
  return Boolean(environment['S3_ACCESS_KEY_ID']);
}
