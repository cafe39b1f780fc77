import { createSign, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSigningIdentity, type SigningIdentity } from '../../emulators/s3/sns-certificate.ts';
import { serveWebhook } from './serve-webhook.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:uploads';
const CERT_PATH = '/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem';

/** Stands in for sns.<region>.amazonaws.com: serves a signing certificate and the SubscribeURL, counting hits. */
class FakeSnsHost {
  readonly identity: SigningIdentity;
  readonly hits: string[] = [];
  certificateFetches = 0;
  origin = '';
  readonly #server: Server;

  constructor(identity: SigningIdentity) {
    this.identity = identity;
    this.#server = createServer((req, res) => {
      this.hits.push(req.url ?? '');
      if (req.url === CERT_PATH) {
        this.certificateFetches++;
        res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(identity.certificatePem);
        return;
      }
      if (req.url?.startsWith('/?Action=ConfirmSubscription')) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
        return;
      }
      res.writeHead(404).end();
    });
  }

  get certUrl(): string {
    return `${this.origin}${CERT_PATH}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

type Fields = Record<string, string | undefined>;

/** Signs as SNS does, written from AWS's documentation independently of the code under test. */
function signSns(identity: SigningIdentity, certUrl: string, fields: Fields, version: '1' | '2' = '2'): Fields {
  const order =
    fields['Type'] === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = order
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${fields[name]}\n`)
    .join('');
  const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(text).sign(identity.privateKey, 'base64');
  return { ...fields, SignatureVersion: version, Signature: signature, SigningCertURL: certUrl };
}

function s3Record(eventName: string, { bucket = 'acme-assets', key = 'photos/red+flower%281%29.jpg', size = 1024, sequencer = '0062E99A88DC407460' } = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-1',
    eventTime: '2026-11-02T10:15:30.123Z',
    eventName,
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'uploads',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: eventName.startsWith('ObjectCreated') ? { key, size, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer } : { key, sequencer },
    },
  };
}

function notification(message: unknown, overrides: Fields = {}): Fields {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: TOPIC_ARN,
    Subject: 'Amazon S3 Notification',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:1`,
    ...overrides,
  };
}

/**
 * A real AWS SNS delivery (SignatureVersion 1, with a Subject) and the certificate it was signed with,
 * published with the Perl module AWS::SNS::Verify's tests. Checks the string to sign against SNS itself,
 * not against our own reading of the documentation. The certificate expired in 2015, hence the pinned clock.
 */
const AWS_SIGNED = {
  body: {
    Type: 'Notification',
    MessageId: 'a890c547-5d98-55e2-971d-8826fff56413',
    TopicArn: 'arn:aws:sns:us-east-1:041977924901:foo',
    Subject: 'test subject',
    Message: 'test message',
    Timestamp: '2015-02-20T20:59:25.401Z',
    SignatureVersion: '1',
    Signature:
      'kzi3JBQz64uFAXG9ZuAwPI2gYW5tT7OF83oeHb8v0/XRPsy0keq2NHTCpQVRxCgPOJ/QUB2Yl/L29/W4hiHMo9+Ns0hrqyasgUfjq+XkVR1WDuYLtNaEA1vLnA0H9usSh3eVVlLhpYzoT4GUoGgstRVvFceW2QVF9EYUQyromlcbOVtVpKCEINAvGEEKJNGTXQQUkPUka3YMhHitgQg1WlFBmf+oweSYUEj8+RoguWsn6vluxD0VtIOGOml5jlUecfhDqnetF5pUVYMqCHPfHn6RBguiW+XD6XWsdKKxkjqo90a65Nlb72gPSRw6+sIEIgf4J39WFZK+FCpeSm0qAg==',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-d6d679a1d18e95c2f9ffcf11f4f9e198.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:041977924901:foo:20b2d060-2a32-4506-9cb0-24b8b9e605e1',
  },
  certificate: `-----BEGIN CERTIFICATE-----
MIIFFzCCA/+gAwIBAgIQfXvtWTP5lfZLpmyNHLk1TDANBgkqhkiG9w0BAQUFADCB
tTELMAkGA1UEBhMCVVMxFzAVBgNVBAoTDlZlcmlTaWduLCBJbmMuMR8wHQYDVQQL
ExZWZXJpU2lnbiBUcnVzdCBOZXR3b3JrMTswOQYDVQQLEzJUZXJtcyBvZiB1c2Ug
YXQgaHR0cHM6Ly93d3cudmVyaXNpZ24uY29tL3JwYSAoYykxMDEvMC0GA1UEAxMm
VmVyaVNpZ24gQ2xhc3MgMyBTZWN1cmUgU2VydmVyIENBIC0gRzMwHhcNMTQwODIz
MDAwMDAwWhcNMTUwODIyMjM1OTU5WjBrMQswCQYDVQQGEwJVUzETMBEGA1UECBMK
V2FzaGluZ3RvbjEQMA4GA1UEBxQHU2VhdHRsZTEZMBcGA1UEChQQQW1hem9uLmNv
bSwgSW5jLjEaMBgGA1UEAxQRc25zLmFtYXpvbmF3cy5jb20wggEiMA0GCSqGSIb3
DQEBAQUAA4IBDwAwggEKAoIBAQDP/HD18qyBx4IgBvgVCkLTW18bULmoaaOQYtRY
yVpPxIFkNSHxT4uYH9knKUqddKQd1TEXHh0bF50lBiHZpuascNc3+FP2YKbF2t/z
a+zHfLipW01np85VDdIWedvB9TpnMdY9PQYTVx41+2fnei9WgjwXVM085WRSECh3
aRdkvOjwTN/Tlrgy3hoebVN3V5kB67b139m3xAlZjoB8MPdk/tlsk+wgVxuAY/gz
xGIZRJxlgEtsu2g8+rDkjS2tk3457Cz8aXRZSCGi+BB6yN2WhvWwPzSDJMDKxwXY
I8fGw0xutF4WHN414KBUp/s/+E6Ib7GxLUCwFon1swKRz9NxAgMBAAGjggFqMIIB
ZjAcBgNVHREEFTATghFzbnMuYW1hem9uYXdzLmNvbTAJBgNVHRMEAjAAMA4GA1Ud
DwEB/wQEAwIFoDAdBgNVHSUEFjAUBggrBgEFBQcDAQYIKwYBBQUHAwIwZQYDVR0g
BF4wXDBaBgpghkgBhvhFAQc2MEwwIwYIKwYBBQUHAgEWF2h0dHBzOi8vZC5zeW1j
Yi5jb20vY3BzMCUGCCsGAQUFBwICMBkaF2h0dHBzOi8vZC5zeW1jYi5jb20vcnBh
MB8GA1UdIwQYMBaAFA1EXBZTRMGCfh0gqyX0AWPYvnmlMCsGA1UdHwQkMCIwIKAe
oByGGmh0dHA6Ly9zZC5zeW1jYi5jb20vc2QuY3JsMFcGCCsGAQUFBwEBBEswSTAf
BggrBgEFBQcwAYYTaHR0cDovL3NkLnN5bWNkLmNvbTAmBggrBgEFBQcwAoYaaHR0
cDovL3NkLnN5bWNiLmNvbS9zZC5jcnQwDQYJKoZIhvcNAQEFBQADggEBABm5RaeH
sLtJftDeGghHAUkco8wkCshKQO1obhuMDJkJHAHbUrweP4Gw7WRhHNHo1jgA6Q61
NXik2w6H7SDVngCVIqOLFsr1DQ7fB5oSevMwjLvlaLxWBAvgKPSsjCt+QF1aNQiv
sfhOIgiJZTObBERsSs9FXWQ/vMkoisPKYJGn3KigzZj0GXSAB0do8Ejq8siBczgM
9o8NixqVvD7AOoE/QWXCtRDMRnQ5oIAc/Q9iUCJ8oAlbljDFkSqwgunpaG0iuHQZ
6Q4iHgmrgHM302H9fFxupyW46zwLH9gmbrUulmLRZT14bIzd0cZXqIl6nd8il4nq
kqQRCW8P2LDot4s=
-----END CERTIFICATE-----
`,
};

describe('POST /webhooks/s3: S3 event notifications through SNS', () => {
  let sns: FakeSnsHost;
  let elsewhere: FakeSnsHost;
  let expired: FakeSnsHost;
  let impostor: SigningIdentity;
  let hook: Awaited<ReturnType<typeof serveWebhook>>;

  beforeAll(async () => {
    const twoYearsAgo = new Date(Date.now() - 2 * 365 * 24 * 60 * 60 * 1000);
    const [identity, other, third, old] = await Promise.all([
      createSigningIdentity(),
      createSigningIdentity(),
      createSigningIdentity(),
      createSigningIdentity({ now: twoYearsAgo }),
    ]);
    sns = await new FakeSnsHost(identity).start();
    elsewhere = await new FakeSnsHost(other).start();
    expired = await new FakeSnsHost(old).start();
    impostor = third;
    hook = await serveWebhook({ allowedCertHosts: [sns.origin, expired.origin], topicArns: [TOPIC_ARN], buckets: ['acme-assets'] });
  });

  afterAll(async () => {
    await Promise.all([hook?.close(), sns?.close(), elsewhere?.close(), expired?.close()]);
  });

  beforeEach(() => {
    hook.events.published.length = 0;
    hook.evicted.length = 0;
    hook.rejections.length = 0;
    sns.hits.length = 0;
    elsewhere.hits.length = 0;
  });

  const signed = (fields: Fields, version: '1' | '2' = '2') => signSns(sns.identity, sns.certUrl, fields, version);

  it('turns a signed ObjectCreated notification into one object.created event and evicts the object', async () => {
    const message = signed(notification({ Records: [s3Record('ObjectCreated:Put')] }));
    const response = await hook.post(message, { 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': message['MessageId']!, 'x-amz-sns-topic-arn': TOPIC_ARN });

    expect(response).toEqual({ status: 200, body: { received: true } });
    expect(hook.evicted).toEqual([['acme-assets', 'photos/red flower(1).jpg']]);
    expect(hook.events.published).toEqual([
      {
        id: expect.stringMatching(/^s3:[0-9a-f]{32}$/),
        provider: 's3',
        type: 'object.created',
        occurredAt: '2026-11-02T10:15:30.123Z',
        keys: { bucket: 'acme-assets', key: 'photos/red flower(1).jpg', size: '1024' },
      },
    ]);
  });

  it('publishes nothing more for a redelivery of the same MessageId, nor for S3 publishing the same event again', async () => {
    const record = s3Record('ObjectCreated:Put', { key: 'docs/a.pdf', sequencer: '0062E99A88DC4074AA' });
    const message = signed(notification({ Records: [record] }));
    expect((await hook.post(message)).body).toEqual({ received: true });
    expect((await hook.post(message)).body).toEqual({ received: true, duplicate: true });
    // S3 is at-least-once too: the same event (same sequencer) in a new SNS message.
    expect((await hook.post(signed(notification({ Records: [record] })))).status).toBe(200);

    expect(hook.events.published).toHaveLength(1);
    expect(hook.webhook.stats.duplicates).toBeGreaterThanOrEqual(1);
  });

  it('verifies SignatureVersion 1 too, and maps a removal to object.removed', async () => {
    const message = signed(notification({ Records: [s3Record('ObjectRemoved:Delete', { key: 'docs/old+report.pdf' })] }, { Subject: undefined }), '1');
    expect((await hook.post(message)).status).toBe(200);
    expect(hook.evicted).toEqual([['acme-assets', 'docs/old report.pdf']]);
    expect(hook.events.published).toMatchObject([{ type: 'object.removed', keys: { bucket: 'acme-assets', key: 'docs/old report.pdf' } }]);
    expect(hook.events.published[0]!.keys).not.toHaveProperty('size');
  });

  it('refuses a bad signature, a certificate off the allowed hosts, a stale message, a tampered Message, a foreign topic and contradicting headers', async () => {
    const fresh = () => notification({ Records: [s3Record('ObjectCreated:Put', { key: `x/${randomUUID()}` })] });
    const tampered = signed(fresh());
    tampered['Message'] = JSON.stringify({ Records: [s3Record('ObjectRemoved:Delete', { key: 'index.html' })] });
    const attempts = [
      // signed with another key, certificate URL on the allowed host
      signSns(impostor, sns.certUrl, fresh()),
      // a valid signature whose certificate lives on a host that is not allowed
      signSns(elsewhere.identity, elsewhere.certUrl, fresh()),
      signed({ ...fresh(), Timestamp: new Date(Date.now() - 61 * 60 * 1000).toISOString() }),
      // a certificate that has expired, on an allowed host
      signSns(expired.identity, expired.certUrl, fresh()),
      tampered,
      signed({ ...fresh(), TopicArn: 'arn:aws:sns:eu-west-1:999999999999:someone-elses' }),
      signSns(sns.identity, `${sns.origin}/not-a-certificate.txt`, fresh()),
    ];
    const statuses = [];
    for (const attempt of attempts) statuses.push((await hook.post(attempt)).status);
    const mismatched = signed(fresh());
    statuses.push((await hook.post(mismatched, { 'x-amz-sns-topic-arn': 'arn:aws:sns:eu-west-1:123456789012:other' })).status);
    statuses.push((await hook.post('not json')).status);

    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400]);
    expect(hook.rejections).toEqual([
      'signature does not match',
      'SigningCertURL is not an allowed certificate URL',
      'message is too old',
      'signing certificate is not valid now',
      'signature does not match',
      'TopicArn is not an allowed topic',
      'SigningCertURL is not an allowed certificate URL',
      'x-amz-sns-topic-arn does not match the body',
      'body is not JSON',
    ]);
    expect(elsewhere.hits).toEqual([]); // never fetched from a host that is not allowed
    expect(hook.events.published).toEqual([]);
    expect(hook.evicted).toEqual([]);
  });

  it('confirms a subscription by fetching its SubscribeURL, and refuses one pointing off the allowed hosts', async () => {
    const confirmation = (subscribeUrl: string) =>
      signed({
        Type: 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        Token: 'token-123',
        TopicArn: TOPIC_ARN,
        Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.`,
        SubscribeURL: subscribeUrl,
        Timestamp: new Date().toISOString(),
      });
    const subscribeUrl = `${sns.origin}/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=token-123`;
    expect((await hook.post(confirmation(subscribeUrl))).status).toBe(200);
    expect(sns.hits).toContain(subscribeUrl.slice(sns.origin.length));

    expect((await hook.post(confirmation(`${elsewhere.origin}/?Action=ConfirmSubscription&Token=token-123`))).status).toBe(400);
    expect(hook.rejections).toEqual(['SubscribeURL is not on an allowed host']);
    expect(elsewhere.hits).toEqual([]);
  });

  it('acknowledges the s3:TestEvent and publishes nothing', async () => {
    const test = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-02T10:00:00.000Z', Bucket: 'acme-assets', RequestId: 'X', HostId: 'Y' };
    expect(await hook.post(signed(notification(test)))).toEqual({ status: 200, body: { received: true } });
    expect(hook.events.published).toEqual([]);
    expect(hook.evicted).toEqual([]);
  });

  it('ignores records of buckets the subgraph does not expose', async () => {
    expect((await hook.post(signed(notification({ Records: [s3Record('ObjectCreated:Put', { bucket: 'private-logs' })] })))).status).toBe(200);
    expect(hook.events.published).toEqual([]);
    expect(hook.evicted).toEqual([]);
  });

  it('fetches each signing certificate once', async () => {
    const messages = [0, 1, 2].map((i) => signed(notification({ Records: [s3Record('ObjectCreated:Put', { key: `k${i}`, sequencer: `00${i}` })] })));
    await Promise.all(messages.map((message) => hook.post(message)));
    expect(hook.events.published).toHaveLength(3);
    expect(sns.certificateFetches).toBe(1); // for every message of this file
  });
});

describe('a message signed by Amazon SNS itself', () => {
  it('verifies, through the default host rules, and fails once tampered with', async () => {
    const fetched: string[] = [];
    const hook = await serveWebhook({
      now: () => Date.parse('2015-02-20T21:00:00Z'),
      fetchCertificate: async (url) => {
        fetched.push(url);
        return AWS_SIGNED.certificate;
      },
    });
    try {
      expect(await hook.post(AWS_SIGNED.body)).toEqual({ status: 200, body: { received: true } });
      expect(fetched).toEqual([AWS_SIGNED.body.SigningCertURL]);
      expect((await hook.post({ ...AWS_SIGNED.body, MessageId: randomUUID() })).status).toBe(400);
      expect((await hook.post({ ...AWS_SIGNED.body, Message: 'TAMPERED MESSAGE' })).status).toBe(400);
      expect(hook.rejections).toEqual(['signature does not match', 'signature does not match']);
      expect(hook.events.published).toEqual([]); // not an S3 event: acknowledged, nothing published
    } finally {
      await hook.close();
    }
  });
});
