import { createVerify } from 'node:crypto';
import type { WebhookRequest } from '../../kit/webhooks/webhook-route.ts';
import { WebhookVerificationError } from '../../kit/webhooks/webhook-pipeline.ts';
import { createCertificateCache, type FetchCertificate } from './sns-certificates.ts';
import { createSnsHostPolicy, type SnsHostRule } from './sns-hosts.ts';
import { parseSnsMessage, snsStringToSign, type SnsMessage } from './sns-message.ts';

/** A message published longer ago than this is refused as a replay. */
export const SNS_MAX_MESSAGE_AGE_MS = 60 * 60 * 1000;
/** Clock skew tolerated for a Timestamp in the future. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SnsVerifierOptions {
  /** Hosts the signing certificate and SubscribeURL may be on; default Amazon SNS (https only). */
  allowedHosts?: readonly SnsHostRule[];
  /** When given, messages of any other topic are refused. Without it, any topic's genuine message passes. */
  topicArns?: readonly string[];
  fetchCertificate?: FetchCertificate;
  certificateCacheSize?: number;
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Verifies an SNS HTTP/S delivery as AWS documents it: the certificate URL is on an allowed host, the
 * certificate is valid now, and its key verifies the signature over the documented string to sign
 * (SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2). Also refuses stale or future timestamps,
 * topics not on the allow-list, confirmations whose SubscribeURL is off the allowed hosts, and SNS's
 * x-amz-sns-* headers when they contradict the body. Throws WebhookVerificationError.
 */
export function createSnsVerifier(options: SnsVerifierOptions = {}): (request: WebhookRequest) => Promise<SnsMessage> {
  const hosts = createSnsHostPolicy(options.allowedHosts);
  const topics = options.topicArns ? new Set(options.topicArns) : undefined;
  const certificates = createCertificateCache({ fetchCertificate: options.fetchCertificate, maxEntries: options.certificateCacheSize });
  const maxAgeMs = options.maxAgeMs ?? SNS_MAX_MESSAGE_AGE_MS;
  const now = options.now ?? Date.now;

  return async ({ rawBody, headers }) => {
    const message = parseSnsMessage(rawBody);
    for (const [header, value] of [
      ['x-amz-sns-message-type', message.Type],
      ['x-amz-sns-message-id', message.MessageId],
      ['x-amz-sns-topic-arn', message.TopicArn],
    ] as const) {
      const sent = headers[header];
      if (sent !== undefined && sent !== value) throw new WebhookVerificationError(`${header} does not match the body`);
    }
    if (topics && !topics.has(message.TopicArn)) throw new WebhookVerificationError('TopicArn is not an allowed topic');

    const publishedAt = Date.parse(message.Timestamp);
    if (Number.isNaN(publishedAt)) throw new WebhookVerificationError('Timestamp is not a date');
    if (now() - publishedAt > maxAgeMs) throw new WebhookVerificationError('message is too old');
    if (publishedAt - now() > MAX_CLOCK_SKEW_MS) throw new WebhookVerificationError('Timestamp is in the future');

    if (!hosts.certificateUrl(message.SigningCertURL)) throw new WebhookVerificationError('SigningCertURL is not an allowed certificate URL');
    if (message.SubscribeURL !== undefined && !hosts.subscribeUrl(message.SubscribeURL)) {
      throw new WebhookVerificationError('SubscribeURL is not on an allowed host');
    }

    let certificate;
    try {
      certificate = await certificates.get(message.SigningCertURL);
    } catch {
      throw new WebhookVerificationError('signing certificate could not be fetched or parsed');
    }
    if (now() < Date.parse(certificate.validFrom) || now() > Date.parse(certificate.validTo)) {
      throw new WebhookVerificationError('signing certificate is not valid now');
    }
    const verifier = createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    verifier.update(snsStringToSign(message), 'utf8');
    let valid = false;
    try {
      valid = verifier.verify(certificate.publicKey, message.Signature, 'base64');
    } catch {
      valid = false; // a key or signature node:crypto cannot use
    }
    if (!valid) throw new WebhookVerificationError('signature does not match');
    return message;
  };
}
