import { createVerify, X509Certificate } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS3Emulator, type S3Emulator } from '../../emulators/s3/server.ts';
import { snsStringToSign, type SnsMessage } from '../../subgraphs/s3/sns-message.ts';
import { serveWebhook } from './serve-webhook.ts';
import { eventually } from '../support/eventually.ts';
import { s3ClientFor } from '../../emulators/s3/client-for.ts';

interface Delivery {
  readonly message: SnsMessage;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** What the webhook answered. */
  readonly status: number;
}

/**
 * Sits between the emulator's SNS topic and the webhook: records every POST and passes it on over HTTP
 * unchanged, answering with the webhook's status (so a refusal is seen by the emulator too).
 */
class Tap {
  readonly deliveries: Delivery[] = [];
  url = '';
  readonly #server: Server;

  constructor(target: () => string) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && (name === 'content-type' || name.startsWith('x-amz-sns-'))) headers[name] = value;
        }
        fetch(target(), { method: 'POST', headers, body }).then(
          async (answer) => {
            await answer.body?.cancel();
            this.deliveries.push({ message: JSON.parse(body) as SnsMessage, body, headers: req.headers, status: answer.status });
            res.writeHead(answer.status).end();
          },
          () => res.writeHead(502).end(),
        );
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/webhooks/s3`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const BUCKET = 'signed-events';

describe('S3 emulator → SNS (SignatureVersion 1 and 2) → POST /webhooks/s3, over HTTP', () => {
  let emulator: S3Emulator;
  let hook: Awaited<ReturnType<typeof serveWebhook>>;
  let tap: Tap;
  let client: S3Client;
  let certificate: X509Certificate;

  /** The next Notification the emulator delivers about `key`. */
  const notificationAbout = (key: string) =>
    eventually(
      () => tap.deliveries.find((delivery) => delivery.message.Type === 'Notification' && delivery.message.Message.includes(`"key":"${key}"`)),
      `a notification about ${key}`,
    );

  beforeAll(async () => {
    emulator = await startS3Emulator({ seed: false }); // SignatureVersion 1, SNS's default
    // The subgraph's webhook as the gateway mounts it in development: the emulator is the allowed SNS origin.
    hook = await serveWebhook({ allowedCertHosts: [emulator.url], topicArns: [emulator.sns.topicArn], buckets: [BUCKET] });
    tap = await new Tap(() => hook.url).start();
    client = s3ClientFor(emulator);
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    certificate = new X509Certificate(await (await fetch(emulator.sns.signingCertUrl)).text());

    // The webhook confirms the subscription itself, by GETting the SubscribeURL of a v1-signed confirmation.
    emulator.sns.subscribe(tap.url);
    await eventually(() => (emulator.sns.status().subscription?.status === 'Confirmed' ? true : undefined), 'the subscription to be confirmed');
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await tap?.close();
    await hook?.close();
  });

  beforeEach(() => {
    hook.rejections.length = 0;
  });

  it('confirms the subscription from a SignatureVersion 1 SubscriptionConfirmation', async () => {
    // The webhook GETs the SubscribeURL before it answers the POST, so the tap records the delivery after the
    // emulator already counts the subscription confirmed.
    const confirmation = await eventually(
      () => tap.deliveries.find((delivery) => delivery.message.Type === 'SubscriptionConfirmation'),
      'the tap to record the confirmation',
    );
    expect(confirmation).toMatchObject({ status: 200, message: { Type: 'SubscriptionConfirmation', SignatureVersion: '1' } });
    expect(emulator.sns.status().signatureVersion).toBe('1');
  });

  it('delivers a SignatureVersion 1 notification signed SHA1withRSA, which the webhook verifies and publishes', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v1/report.txt', Body: 'signed with SHA-1' }));

    const delivery = await notificationAbout('v1/report.txt');
    expect(delivery.status).toBe(200);
    expect(delivery.message).toMatchObject({ Type: 'Notification', SignatureVersion: '1', SigningCertURL: emulator.sns.signingCertUrl });
    // SHA1withRSA indeed: the signature verifies with SHA-1 and not with SHA-256.
    const verifies = (algorithm: string) => createVerify(algorithm).update(snsStringToSign(delivery.message)).verify(certificate.publicKey, delivery.message.Signature, 'base64');
    expect([verifies('RSA-SHA1'), verifies('RSA-SHA256')]).toEqual([true, false]);

    const event = await hook.events.next((e) => e.keys['key'] === 'v1/report.txt');
    expect(event).toMatchObject({ provider: 's3', type: 'object.created', keys: { bucket: BUCKET, key: 'v1/report.txt' } });
    expect(hook.evicted).toContainEqual([BUCKET, 'v1/report.txt']);
  });

  it('refuses a SignatureVersion 1 message whose signature is bad, and processes nothing of it', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v1/forged.txt', Body: 'original' }));
    const genuine = (await notificationAbout('v1/forged.txt')).message;
    await hook.webhook.drain();
    const published = hook.events.published.length;
    const evicted = hook.evicted.length;

    const fresh = { ...genuine, MessageId: '6b3a1f7e-0000-4000-8000-000000000001' }; // not claimed yet, so only the signature decides
    const forged = [
      // another genuine v1 signature (the SubscriptionConfirmation's), over a different message
      { ...fresh, Signature: tap.deliveries[0]!.message.Signature },
      // the genuine signature with one byte changed
      { ...genuine, Signature: flipFirstByte(genuine.Signature) },
      // the genuine signature over a changed Message
      { ...genuine, Message: genuine.Message.replace('ObjectCreated:Put', 'ObjectRemoved:Delete') },
      // a v1 (SHA-1) signature presented as SignatureVersion 2
      { ...genuine, SignatureVersion: '2' },
    ];
    const statuses = [];
    for (const message of forged) statuses.push((await hook.post(message, { 'x-amz-sns-message-type': 'Notification' })).status);

    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(hook.rejections).toEqual(['signature does not match', 'signature does not match', 'signature does not match', 'signature does not match']);
    expect(hook.events.published).toHaveLength(published);
    expect(hook.evicted).toHaveLength(evicted);
  });

  it('signs SHA256withRSA once the topic is set to SignatureVersion 2, and both versions reach the subscriber', async () => {
    const set = await fetch(`${emulator.url}/_emulator/sns`, { method: 'POST', body: JSON.stringify({ signatureVersion: '2' }) });
    expect(set.status).toBe(204);
    expect((await fetch(`${emulator.url}/_emulator/sns`, { method: 'POST', body: JSON.stringify({ signatureVersion: '3' }) })).status).toBe(400);
    expect(emulator.sns.status().signatureVersion).toBe('2');

    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v2/report.txt', Body: 'signed with SHA-256' }));
    const v2 = await notificationAbout('v2/report.txt');
    expect(v2).toMatchObject({ status: 200, message: { SignatureVersion: '2' } });
    expect(createVerify('RSA-SHA256').update(snsStringToSign(v2.message)).verify(certificate.publicKey, v2.message.Signature, 'base64')).toBe(true);
    expect(await hook.events.next((e) => e.keys['key'] === 'v2/report.txt')).toMatchObject({ type: 'object.created' });

    emulator.sns.setSignatureVersion('1');
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'v2/report.txt' }));
    const removal = await eventually(
      () => tap.deliveries.find((d) => d.message.Type === 'Notification' && d.message.Message.includes('ObjectRemoved') && d.message.Message.includes('"key":"v2/report.txt"')),
      'the removal',
    );
    expect(removal).toMatchObject({ status: 200, message: { SignatureVersion: '1' } });
    expect(await hook.events.next((e) => e.type === 'object.removed' && e.keys['key'] === 'v2/report.txt')).toMatchObject({ keys: { bucket: BUCKET } });

    const versions = new Set(tap.deliveries.filter((d) => d.message.Type === 'Notification').map((d) => `${d.message.SignatureVersion}:${d.status}`));
    expect([...versions].sort()).toEqual(['1:200', '2:200']);
  });
});

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = bytes[0]! ^ 0xff;
  return bytes.toString('base64');
}
