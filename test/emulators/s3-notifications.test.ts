import { X509Certificate } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Emulator, type S3Emulator, type SnsTopicStatus } from '../../emulators/s3/server.ts';
import { createSnsVerifier } from '../../subgraphs/s3/sns-verifier.ts';
import type { SnsMessage } from '../../subgraphs/s3/sns-message.ts';
import { eventually } from '../support/eventually.ts';
import { s3ClientFor } from '../../emulators/s3/client-for.ts';

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

/** An HTTP endpoint subscribed to the emulator's topic: records every POST and answers 200. */
class Subscriber {
  readonly deliveries: Delivery[] = [];
  url = '';
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200).end();
    });
  });

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

const BUCKET = 'notified-bucket';
const KEY = 'reports/Q3 summary+final.pdf';

describe('S3 emulator: object events as SNS notifications', () => {
  let emulator: S3Emulator;
  let subscriber: Subscriber;
  let client: S3Client;
  let verify: (delivery: Delivery) => Promise<SnsMessage>;

  const messages = async (type: string, count: number) =>
    eventually(() => {
      const matching = subscriber.deliveries.filter((delivery) => delivery.headers['x-amz-sns-message-type'] === type);
      return matching.length >= count ? matching : undefined;
    }, `${count} ${type} deliveries`);
  const snsStatus = async () => (await (await fetch(`${emulator.url}/_emulator/sns`)).json()) as SnsTopicStatus;

  beforeAll(async () => {
    subscriber = await new Subscriber().start();
    emulator = await startS3Emulator({ seed: false });
    client = s3ClientFor(emulator);
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // The gateway's verifier, allowing the emulator's host as the S3 subgraph does in development.
    const verifier = createSnsVerifier({ allowedHosts: [emulator.url], topicArns: [emulator.sns.topicArn] });
    verify = ({ body, headers }) => verifier({ rawBody: Buffer.from(body), headers, query: new URLSearchParams() });
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await subscriber?.close();
  });

  it('serves its signing certificate: self-signed, valid now', async () => {
    const response = await fetch(emulator.sns.signingCertUrl);
    expect(response.status).toBe(200);
    const certificate = new X509Certificate(await response.text());
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(Date.parse(certificate.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(certificate.validTo)).toBeGreaterThan(Date.now());
    expect(emulator.sns.signingCertUrl).toBe(`${emulator.url}/_emulator/sns/cert.pem`);
  });

  it('sends a signed SubscriptionConfirmation, holds notifications until its SubscribeURL is visited, then delivers them', async () => {
    expect(await snsStatus()).toMatchObject({ subscription: null, signatureVersion: '1' });
    emulator.sns.subscribe(subscriber.url);

    const [confirmation] = await messages('SubscriptionConfirmation', 1);
    expect(confirmation!.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-topic-arn': emulator.sns.topicArn,
    });
    expect(confirmation!.headers).not.toHaveProperty('x-amz-sns-subscription-arn');
    const message = await verify(confirmation!);
    // SNS's default for a new topic: SignatureVersion 1 (SHA1withRSA).
    expect(message).toMatchObject({ Type: 'SubscriptionConfirmation', SignatureVersion: '1', TopicArn: emulator.sns.topicArn, SigningCertURL: emulator.sns.signingCertUrl });
    expect(message.SubscribeURL).toBe(`${emulator.url}/_emulator/sns/confirm?token=${message.Token}`);
    expect((await snsStatus()).subscription).toMatchObject({ endpoint: subscriber.url, status: 'PendingConfirmation', confirmedAt: null });

    // Published while pending: held, not delivered.
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'early.txt', Body: 'before confirmation' }));
    expect((await snsStatus()).held).toBe(1);
    expect(subscriber.deliveries.filter((d) => d.headers['x-amz-sns-message-type'] === 'Notification')).toEqual([]);

    expect((await fetch(`${emulator.url}/_emulator/sns/confirm?token=wrong`)).status).toBe(400);
    const confirmed = await fetch(message.SubscribeURL!);
    expect(confirmed.status).toBe(200);
    const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await confirmed.text())?.[1];
    expect(subscriptionArn).toMatch(new RegExp(`^${emulator.sns.topicArn}:`));

    const status = await snsStatus();
    expect(status.subscription).toMatchObject({ status: 'Confirmed', subscriptionArn, confirmedAt: expect.any(String) });
    const [early] = await messages('Notification', 1);
    const earlyRecord = (JSON.parse((await verify(early!)).Message) as { Records: { s3: { object: { key: string } } }[] }).Records[0]!;
    expect(earlyRecord.s3.object.key).toBe('early.txt');
    expect((await snsStatus()).held).toBe(0);
  });

  it('delivers an upload and a delete made with the AWS SDK as signed S3 event notifications', async () => {
    const before = subscriber.deliveries.length;
    const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'quarterly numbers', ContentType: 'application/pdf' }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));

    const delivered = await eventually(() => (subscriber.deliveries.length >= before + 2 ? subscriber.deliveries.slice(before) : undefined), 'two notifications');
    const [created, removed] = await Promise.all(delivered.map((delivery) => verify(delivery)));
    for (const [delivery, message] of [[delivered[0]!, created!], [delivered[1]!, removed!]] as const) {
      expect(message).toMatchObject({ Type: 'Notification', SignatureVersion: '1', Subject: 'Amazon S3 Notification', TopicArn: emulator.sns.topicArn });
      expect(delivery.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': message.MessageId, 'x-amz-sns-subscription-arn': expect.stringContaining(emulator.sns.topicArn) });
      expect(message.UnsubscribeURL).toMatch(new RegExp(`^${emulator.url}/_emulator/sns/unsubscribe\\?subscriptionArn=`));
    }

    type Record = { eventSource: string; awsRegion: string; eventName: string; eventTime: string; s3: { bucket: { name: string; arn: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } } };
    const [putRecord] = (JSON.parse(created!.Message) as { Records: Record[] }).Records;
    const [deleteRecord] = (JSON.parse(removed!.Message) as { Records: Record[] }).Records;
    expect(putRecord).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: emulator.region,
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
        // URL-encoded as S3 encodes keys in notifications: `+` for a space, `%2B` for a plus.
        object: { key: 'reports/Q3+summary%2Bfinal.pdf', size: Buffer.byteLength('quarterly numbers'), eTag: put.ETag!.replace(/"/g, '') },
      },
    });
    expect(Date.parse(putRecord!.eventTime)).not.toBeNaN();
    expect(deleteRecord).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: BUCKET }, object: { key: 'reports/Q3+summary%2Bfinal.pdf' } } });
    expect(deleteRecord!.s3.object.sequencer > putRecord!.s3.object.sequencer).toBe(true);
    expect(putRecord!.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
  });

  it('raises one ObjectRemoved event per key of a multi-object delete (which s3rver alone does not)', async () => {
    for (const Key of ['batch/a & b.txt', 'batch/c.txt']) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }));
    const before = subscriber.deliveries.length;
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'batch/a & b.txt' }, { Key: 'batch/c.txt' }] } }));

    const delivered = await eventually(() => (subscriber.deliveries.length >= before + 2 ? subscriber.deliveries.slice(before) : undefined), 'two removals');
    const records = await Promise.all(
      delivered.map(async (delivery) => (JSON.parse((await verify(delivery)).Message) as { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }).Records[0]!),
    );
    expect(records.map((record) => [record.eventName, record.s3.bucket.name, record.s3.object.key])).toEqual([
      ['ObjectRemoved:Delete', BUCKET, 'batch/a+%26+b.txt'],
      ['ObjectRemoved:Delete', BUCKET, 'batch/c.txt'],
    ]);
  });

  it('counts deliveries at its control endpoint', async () => {
    const { deliveries } = await snsStatus();
    expect(deliveries.SubscriptionConfirmation).toEqual({ sent: 1, delivered: 1 });
    expect(deliveries.Notification).toEqual({ sent: 7, delivered: 7 });
    expect(emulator.sns.status().deliveries).toEqual(deliveries);
  });

  it('ends the subscription at its UnsubscribeURL with a signed UnsubscribeConfirmation, and delivers nothing after', async () => {
    const [notification] = await messages('Notification', 1);
    const { UnsubscribeURL } = await verify(notification!);
    expect((await fetch(UnsubscribeURL!)).status).toBe(200);

    const [goodbye] = await messages('UnsubscribeConfirmation', 1);
    expect(await verify(goodbye!)).toMatchObject({ Type: 'UnsubscribeConfirmation', SignatureVersion: '1' });
    expect((await snsStatus()).subscription).toMatchObject({ status: 'Unsubscribed' });

    const count = subscriber.deliveries.length;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after.txt', Body: 'nobody listens' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(subscriber.deliveries).toHaveLength(count);
  });
});
