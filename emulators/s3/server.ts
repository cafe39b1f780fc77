import { Agent, createServer } from 'node:http';
import { closeOnce, closeServer, endpointUrl, listen } from '../shared/http-server.ts';
import { checkFaultProfile, FaultInjector, type FaultControl, type FaultProfile } from '../shared/faults.ts';
import { createRequestCounter, type RequestCounter } from '../shared/request-counter.ts';
import { createRequestHandler } from './handle-request.ts';
import { createSequencer, toS3Record, type S3rverRecord } from './s3-event-record.ts';
import { startS3rverBackend } from './s3rver-backend.ts';
import { createSigningIdentity } from './sns-certificate.ts';
import { SNS_SIGNATURE_VERSIONS, type SnsSignatureVersion } from './sns-messages.ts';
import { createSnsTopic, type SnsTopicStatus } from './sns-topic.ts';
import { uploadSeed } from './upload-seed.ts';

export type { FaultControl, FaultProfile, FaultStatus } from '../shared/faults.ts';
export type { RequestCounter } from '../shared/request-counter.ts';
export type { SnsTopicStatus } from './sns-topic.ts';
export type { SnsSignatureVersion } from './sns-messages.ts';

export interface S3EmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'us-east-1'. Signatures scoped to another region are refused, as S3 does. */
  region?: string;
  /** Default { accessKeyId: 'emulator', secretAccessKey: 'emulator-secret' }. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default true: create the seed buckets and objects (see fixtures/seed.ts). */
  seed?: boolean;
  /** Default s3EmulatorTopicArn(region): the SNS topic object events are published to. */
  snsTopicArn?: string;
  /**
   * Default '1', as for a new SNS topic: notifications are signed SHA1withRSA; '2' signs them
   * SHA256withRSA. `sns.setSignatureVersion` (or `POST /_emulator/sns`) changes it later.
   */
  snsSignatureVersion?: SnsSignatureVersion;
  /**
   * A fault profile in force once the emulator has started (after seeding; see shared/faults.ts);
   * `faults.setProfile` changes it later. Fault operations are the counted S3 operation names
   * (`HeadObject`, `PutObject`…); PUT, POST and DELETE requests are the writes.
   */
  faults?: FaultProfile;
}

/** S3 → SNS → HTTPS, as the emulator plays it (see sns-topic.ts). */
export interface S3EmulatorNotifications {
  readonly topicArn: string;
  /** Where the emulator serves its signing certificate (SigningCertURL). */
  readonly signingCertUrl: string;
  /**
   * Subscribes an HTTP endpoint (the gateway's /webhooks/s3), replacing any earlier one: it is sent a
   * SubscriptionConfirmation at once, and every object created or deleted from then on as a signed
   * Notification once it has visited the SubscribeURL.
   */
  subscribe(endpoint: string): void;
  /** The topic's SignatureVersion attribute, for messages signed from now on (SetTopicAttributes). */
  setSignatureVersion(version: SnsSignatureVersion): void;
  status(): SnsTopicStatus;
}

export interface S3Emulator {
  /** The endpoint clients use, e.g. http://127.0.0.1:54321 (path-style). */
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request the emulator received, by S3 operation name (seeding excluded). */
  requests: RequestCounter;
  /** Fault injection: a profile and one-shot faults; also over HTTP at `/_emulator/faults`. */
  faults: FaultControl;
  /** Object events delivered like S3 event notifications through SNS to an HTTP/S subscription. */
  sns: S3EmulatorNotifications;
  /** Closes every server and socket and removes the temporary directory. */
  close(): Promise<void>;
}

export const DEFAULT_S3_EMULATOR_CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator-secret' } as const;

/** The topic the emulator publishes object events to, for the gateway's topic allow-list. */
export function s3EmulatorTopicArn(region: string): string {
  return `arn:aws:sns:${region}:123456789012:s3-emulator-events`;
}

/**
 * An S3-compatible endpoint for offline work and tests: s3rver on an internal port, behind a thin
 * proxy that counts requests and verifies V4 signatures (which s3rver does not), so presigned URLs
 * behave like real S3's. ListObjectsV2 is served through s3rver's V1 listing (see list-objects-v2.ts).
 * Objects created and deleted are published like S3 event notifications to an SNS topic, whose HTTP/S
 * subscriber gets them signed as SNS signs them (SignatureVersion 1 or 2), with a key pair and self-signed
 * certificate made at start.
 */
export async function startS3Emulator(options: S3EmulatorOptions = {}): Promise<S3Emulator> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const credentials = { ...(options.credentials ?? DEFAULT_S3_EMULATOR_CREDENTIALS) };
  const startProfile = options.faults === undefined ? undefined : checkFaultProfile(options.faults);
  const signatureVersion = options.snsSignatureVersion ?? '1';
  if (!SNS_SIGNATURE_VERSIONS.includes(signatureVersion)) throw new Error(`snsSignatureVersion must be '1' or '2'`);

  let url = '';
  const sns = createSnsTopic({
    topicArn: options.snsTopicArn ?? s3EmulatorTopicArn(region),
    identity: await createSigningIdentity(),
    baseUrl: () => url,
    signatureVersion,
  });
  const sequencer = createSequencer();
  const objectEvent = (record: S3rverRecord) => sns.publish({ Records: [toS3Record(record, { region, sequencer })] });
  const backend = await startS3rverBackend(credentials, (event) => event.Records.forEach(objectEvent));
  const agent = new Agent({ keepAlive: true });
  const counter = createRequestCounter();
  const faults = new FaultInjector(); // the start profile applies once seeding is done

  const server = createServer(
    createRequestHandler({ backend: { port: backend.port, agent }, counter, identity: { region, credentials }, sns, objectEvent, faults }),
  );

  const close = closeOnce(async () => {
    faults.close();
    const closed = closeServer(server);
    agent.destroy();
    await Promise.all([closed, sns.close()]);
    await backend.close();
  });

  try {
    const port = await listen(server, options.port ?? 0, host);
    url = endpointUrl(host, port);
    if (options.seed ?? true) {
      await uploadSeed({ url, region, credentials });
      counter.reset(); // seeding is setup, not traffic under test
    }
    if (startProfile !== undefined) faults.setProfile(startProfile);
    return {
      url,
      region,
      credentials: { ...credentials },
      requests: counter,
      faults,
      sns: {
        topicArn: sns.topicArn,
        signingCertUrl: sns.status().signingCertUrl,
        subscribe: (endpoint) => sns.subscribe(endpoint),
        setSignatureVersion: (version) => sns.setSignatureVersion(version),
        status: () => sns.status(),
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
