import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SNS_PATHS, type SnsTopic } from './sns-topic.ts';
import { escapeXml } from './xml-text.ts';

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function sendXml(res: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version="1.0"?>\n${xml}`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() });
  res.end(body);
}

function sendSnsError(res: ServerResponse, code: string, message: string): void {
  sendXml(
    res,
    400,
    `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/**
 * The URLs an SNS message points to, served by the emulator as SNS serves them:
 * - `GET /_emulator/sns/cert.pem`: the signing certificate (SigningCertURL);
 * - `GET /_emulator/sns/confirm?token=…`: confirms the subscription (SubscribeURL), answers ConfirmSubscription's XML;
 * - `GET /_emulator/sns/unsubscribe?subscriptionArn=…`: ends it (UnsubscribeURL).
 * Returns false for any other request.
 */
export function handleSnsRequest(req: IncomingMessage, res: ServerResponse, topic: SnsTopic): boolean {
  const url = new URL(req.url ?? '/', 'http://emulator');
  if (req.method !== 'GET' || !(Object.values(SNS_PATHS) as string[]).includes(url.pathname)) return false;
  req.resume();
  switch (url.pathname) {
    case SNS_PATHS.certificate: {
      const pem = topic.certificatePem();
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert', 'content-length': Buffer.byteLength(pem) });
      res.end(pem);
      return true;
    }
    case SNS_PATHS.confirm: {
      const arn = topic.confirm(url.searchParams.get('token') ?? '');
      if (arn === undefined) sendSnsError(res, 'InvalidParameter', 'Invalid token');
      else {
        sendXml(
          res,
          200,
          `<ConfirmSubscriptionResponse xmlns="${SNS_XMLNS}"><ConfirmSubscriptionResult><SubscriptionArn>${escapeXml(arn)}</SubscriptionArn>` +
            `</ConfirmSubscriptionResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>`,
        );
      }
      return true;
    }
    default: {
      if (!topic.unsubscribe(url.searchParams.get('subscriptionArn') ?? '')) sendSnsError(res, 'NotFound', 'Subscription does not exist');
      else {
        sendXml(res, 200, `<UnsubscribeResponse xmlns="${SNS_XMLNS}"><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></UnsubscribeResponse>`);
      }
      return true;
    }
  }
}
