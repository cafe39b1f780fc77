import { createSign, randomUUID } from 'node:crypto';
import type { SignedRequest } from '../shared/webhook-deliverer.ts';
import type { SigningIdentity } from './sns-certificate.ts';

/** A message before signing, fields in the order SNS writes them to the JSON body. */
export type UnsignedSnsMessage =
  | {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject?: string;
      Message: string;
      Timestamp: string;
      UnsubscribeURL: string;
    }
  | {
      Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
      MessageId: string;
      Token: string;
      TopicArn: string;
      Message: string;
      SubscribeURL: string;
      Timestamp: string;
    };

/** A topic's SignatureVersion attribute: '1' SHA1withRSA (SNS's default for a new topic), '2' SHA256withRSA. */
export type SnsSignatureVersion = '1' | '2';

export const SNS_SIGNATURE_VERSIONS: readonly SnsSignatureVersion[] = ['1', '2'];

export type SignedSnsMessage = UnsignedSnsMessage & { SignatureVersion: SnsSignatureVersion; Signature: string; SigningCertURL: string };

/** The signed fields, in the order AWS documents for each type (Subject only when present). */
const NOTIFICATION_SIGNED = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_SIGNED = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

function stringToSign(message: UnsignedSnsMessage): string {
  const fields: Record<string, string | undefined> = message;
  return (message.Type === 'Notification' ? NOTIFICATION_SIGNED : CONFIRMATION_SIGNED)
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${fields[name]}\n`)
    .join('');
}

/** Signs as SNS does: SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2, base64; same string to sign. */
export function signSnsMessage(
  message: UnsignedSnsMessage,
  identity: SigningIdentity,
  signingCertUrl: string,
  version: SnsSignatureVersion,
): SignedSnsMessage {
  const algorithm = version === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
  const signature = createSign(algorithm).update(stringToSign(message), 'utf8').sign(identity.privateKey, 'base64');
  const signed = { SignatureVersion: version, Signature: signature, SigningCertURL: signingCertUrl };
  if (message.Type !== 'Notification') return { ...message, ...signed };
  // SNS writes the signature block before UnsubscribeURL.
  const { UnsubscribeURL, ...fields } = message;
  return { ...fields, ...signed, UnsubscribeURL };
}

/** SNS's own message ids are UUIDs. */
export const newMessageId = (): string => randomUUID();

/** The POST SNS makes to an HTTP/S subscriber: the JSON as text/plain, and its x-amz-sns-* headers. */
export function snsDeliveryRequest(endpoint: string, message: SignedSnsMessage, subscriptionArn: string): SignedRequest {
  return {
    url: endpoint,
    body: JSON.stringify(message, null, 2),
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': message.Type,
      'x-amz-sns-message-id': message.MessageId,
      'x-amz-sns-topic-arn': message.TopicArn,
      // A pending subscription has no ARN yet: SNS leaves the header off its confirmation request.
      ...(message.Type === 'SubscriptionConfirmation' ? {} : { 'x-amz-sns-subscription-arn': subscriptionArn }),
    },
  };
}
