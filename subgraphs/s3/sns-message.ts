import { WebhookVerificationError } from '../../kit/webhooks/webhook-pipeline.ts';

/** The three kinds of message SNS posts to an HTTP/S subscription. */
export type SnsMessageType = 'SubscriptionConfirmation' | 'Notification' | 'UnsubscribeConfirmation';

/**
 * An SNS message as POSTed to an HTTP/S endpoint (a JSON body sent as text/plain). Only the fields this
 * subgraph reads or that are signed; SNS may add others (MessageAttributes), which are left alone.
 */
export interface SnsMessage {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  /** '1': SHA1withRSA, '2': SHA256withRSA. */
  readonly SignatureVersion: '1' | '2';
  /** Base64. */
  readonly Signature: string;
  readonly SigningCertURL: string;
  /** Notifications only, and only when the publisher gave one. */
  readonly Subject?: string;
  /** Confirmations only. */
  readonly Token?: string;
  readonly SubscribeURL?: string;
  /** Notifications only. */
  readonly UnsubscribeURL?: string;
}

/** An SNS topic ARN, in any partition (aws, aws-cn, aws-us-gov); S3 cannot publish to FIFO topics. */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

const TYPES: readonly string[] = ['SubscriptionConfirmation', 'Notification', 'UnsubscribeConfirmation'];

/**
 * The fields that are signed, in the order AWS documents
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). Notifications sign
 * Subject only when present; confirmations sign SubscribeURL and Token instead.
 */
const SIGNED_FIELDS: Readonly<Record<SnsMessageType, readonly (keyof SnsMessage)[]>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** `name\nvalue\n` for every signed field present, in the documented order. */
export function snsStringToSign(message: SnsMessage): string {
  let text = '';
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (value !== undefined) text += `${field}\n${value}\n`;
  }
  return text;
}

/** Parses a POSTed body into an SnsMessage, or throws WebhookVerificationError naming what is wrong. */
export function parseSnsMessage(rawBody: Buffer): SnsMessage {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WebhookVerificationError('body is not a JSON object');
  const fields = body as Record<string, unknown>;
  const text = (name: string, required: boolean): string | undefined => {
    const value = fields[name];
    // Lambda's copy of a message has `"Subject": null` for "no subject": the same as absent.
    if (value === undefined || value === null) {
      if (required) throw new WebhookVerificationError(`${name} is missing`);
      return undefined;
    }
    if (typeof value !== 'string') throw new WebhookVerificationError(`${name} is not a string`);
    return value;
  };
  const type = text('Type', true)!;
  if (!TYPES.includes(type)) throw new WebhookVerificationError(`unknown message Type`);
  const signatureVersion = text('SignatureVersion', true)!;
  if (signatureVersion !== '1' && signatureVersion !== '2') throw new WebhookVerificationError('unsupported SignatureVersion');
  const confirmation = type !== 'Notification';
  const optional = (name: string) => {
    const value = text(name, false);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    Type: type as SnsMessageType,
    MessageId: text('MessageId', true)!,
    TopicArn: text('TopicArn', true)!,
    Message: text('Message', true)!,
    Timestamp: text('Timestamp', true)!,
    SignatureVersion: signatureVersion,
    Signature: text('Signature', true)!,
    SigningCertURL: text('SigningCertURL', true)!,
    ...(confirmation
      ? { Token: text('Token', true)!, SubscribeURL: text('SubscribeURL', true)! }
      : { ...optional('Subject'), ...optional('UnsubscribeURL') }),
  };
}
