import { randomBytes, randomUUID } from 'node:crypto';
import { WebhookDeliverer, type SignedRequest } from '../shared/webhook-deliverer.ts';
import type { SigningIdentity } from './sns-certificate.ts';
import { newMessageId, signSnsMessage, snsDeliveryRequest, type SnsSignatureVersion, type UnsignedSnsMessage } from './sns-messages.ts';

/** Where the emulator's SNS endpoints live, under its own URL. */
export const SNS_PATHS = {
  certificate: '/_emulator/sns/cert.pem',
  confirm: '/_emulator/sns/confirm',
  unsubscribe: '/_emulator/sns/unsubscribe',
} as const;

export type SubscriptionStatus = 'PendingConfirmation' | 'Confirmed' | 'Unsubscribed';
type DeliveryKind = UnsignedSnsMessage['Type'];

export interface SnsTopicStatus {
  topicArn: string;
  signingCertUrl: string;
  /** The topic's SignatureVersion attribute: how messages are signed from now on. */
  signatureVersion: SnsSignatureVersion;
  subscription: { endpoint: string; subscriptionArn: string; status: SubscriptionStatus; confirmedAt: string | null } | null;
  /** Per message type: queued for delivery, and answered 2xx by the endpoint. */
  deliveries: Record<DeliveryKind, { sent: number; delivered: number }>;
  /** Notifications waiting for the subscription to be confirmed. */
  held: number;
}

/** The emulator's SNS topic with its one HTTP/S subscription (the gateway's /webhooks/s3). */
export interface SnsTopic {
  readonly topicArn: string;
  /** Subscribes `endpoint` (replacing any subscription) and POSTs it a SubscriptionConfirmation. */
  subscribe(endpoint: string): void;
  /** What visiting a SubscribeURL does: the subscription ARN, or undefined for an unknown token. */
  confirm(token: string): string | undefined;
  /** What visiting the UnsubscribeURL does; SNS then sends the endpoint an UnsubscribeConfirmation. */
  unsubscribe(subscriptionArn: string): boolean;
  /**
   * What SetTopicAttributes(SignatureVersion) does: messages signed from now on use this version
   * (SHA1withRSA for '1', SHA256withRSA for '2'); a message already signed keeps its signature.
   */
  setSignatureVersion(version: SnsSignatureVersion): void;
  /** Publishes an S3 event notification (the SNS Message is its JSON). */
  publish(s3Event: unknown): void;
  status(): SnsTopicStatus;
  certificatePem(): string;
  close(): Promise<void>;
}

/** Notifications kept while a subscription waits for its confirmation. */
const MAX_HELD = 1000;

interface Subscription {
  endpoint: string;
  arn: string;
  token: string;
  status: SubscriptionStatus;
  confirmedAt: string | null;
}

/**
 * SNS as S3 uses it: every message is signed once, with the topic's SignatureVersion at the time it is
 * sent (1, SNS's default, or 2; a redelivery is the same message, same MessageId and signature), and
 * POSTed in order, retried a bounded number of times.
 * Notifications go to a confirmed subscription only. Unlike SNS, which drops them, those published while
 * the subscription is pending are held (up to MAX_HELD) and sent once it is confirmed, so that nothing a
 * developer does in the moment after start-up goes missing.
 */
export function createSnsTopic({
  topicArn,
  identity,
  baseUrl,
  signatureVersion: initialSignatureVersion = '1',
  now = Date.now,
  retryDelaysMs,
}: {
  topicArn: string;
  identity: SigningIdentity;
  /** The emulator's URL, known once it listens. */
  baseUrl: () => string;
  /** Default '1', as for a new SNS topic. */
  signatureVersion?: SnsSignatureVersion;
  now?: () => number;
  retryDelaysMs?: readonly number[];
}): SnsTopic {
  const deliverer = new WebhookDeliverer<SignedRequest>({
    sign: (request) => request,
    retryDelaysMs,
    timeoutMs: 15_000, // SNS's HTTP/S timeout
    closeGraceMs: 1_000,
  });
  const deliveries: SnsTopicStatus['deliveries'] = {
    SubscriptionConfirmation: { sent: 0, delivered: 0 },
    Notification: { sent: 0, delivered: 0 },
    UnsubscribeConfirmation: { sent: 0, delivered: 0 },
  };
  let signatureVersion = initialSignatureVersion;
  let subscription: Subscription | undefined;
  let held: UnsignedSnsMessage[] = [];
  const certificateUrl = () => `${baseUrl()}${SNS_PATHS.certificate}`;
  const timestamp = () => new Date(now()).toISOString();

  function send(to: Subscription, message: UnsignedSnsMessage): void {
    const signed = signSnsMessage(message, identity, certificateUrl(), signatureVersion);
    const counts = deliveries[message.Type];
    counts.sent++;
    deliverer.enqueue(snsDeliveryRequest(to.endpoint, signed, to.arn), () => counts.delivered++);
  }

  function sendToken(to: Subscription, type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', text: string): void {
    send(to, {
      Type: type,
      MessageId: newMessageId(),
      Token: to.token,
      TopicArn: topicArn,
      Message: text,
      SubscribeURL: `${baseUrl()}${SNS_PATHS.confirm}?token=${to.token}`,
      Timestamp: timestamp(),
    });
  }

  return {
    topicArn,
    subscribe(endpoint) {
      subscription = { endpoint, arn: `${topicArn}:${randomUUID()}`, token: randomBytes(64).toString('hex'), status: 'PendingConfirmation', confirmedAt: null };
      held = [];
      sendToken(
        subscription,
        'SubscriptionConfirmation',
        `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      );
    },
    confirm(token) {
      if (!subscription || subscription.token !== token) return undefined;
      if (subscription.status !== 'Confirmed') {
        subscription.status = 'Confirmed';
        subscription.confirmedAt = timestamp();
        const waiting = held;
        held = [];
        for (const message of waiting) send(subscription, message);
      }
      return subscription.arn;
    },
    unsubscribe(subscriptionArn) {
      if (!subscription || subscription.arn !== subscriptionArn || subscription.status === 'Unsubscribed') return false;
      // The confirmation carries a new token whose SubscribeURL subscribes the endpoint again.
      subscription.status = 'Unsubscribed';
      subscription.token = randomBytes(64).toString('hex');
      held = [];
      sendToken(
        subscription,
        'UnsubscribeConfirmation',
        `You have chosen to deactivate subscription ${subscription.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
      );
      return true;
    },
    setSignatureVersion(version) {
      signatureVersion = version;
    },
    publish(s3Event) {
      if (!subscription || subscription.status === 'Unsubscribed') return; // no subscriber: SNS drops it
      const message: UnsignedSnsMessage = {
        Type: 'Notification',
        MessageId: newMessageId(),
        TopicArn: topicArn,
        Subject: 'Amazon S3 Notification',
        Message: JSON.stringify(s3Event),
        Timestamp: timestamp(),
        UnsubscribeURL: `${baseUrl()}${SNS_PATHS.unsubscribe}?subscriptionArn=${encodeURIComponent(subscription.arn)}`,
      };
      if (subscription.status === 'Confirmed') {
        send(subscription, message);
        return;
      }
      held.push(message);
      if (held.length > MAX_HELD) held.shift();
    },
    status() {
      return {
        topicArn,
        signingCertUrl: certificateUrl(),
        signatureVersion,
        subscription: subscription
          ? { endpoint: subscription.endpoint, subscriptionArn: subscription.arn, status: subscription.status, confirmedAt: subscription.confirmedAt }
          : null,
        deliveries: structuredClone(deliveries),
        held: held.length,
      };
    },
    certificatePem: () => identity.certificatePem,
    close: () => deliverer.close(),
  };
}
