import { createHmac } from 'node:crypto';
import { createServer, type Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwitterApi } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedTwitterUser } from '../../emulators/twitter/fixtures/seed.ts';
import { DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET, startTwitterEmulator, userAccessToken, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { crcResponseToken, twitterSignature } from '../../emulators/twitter/webhook-signature.ts';
import { baseUrlPlugin, clientSettingsFor } from '../../subgraphs/twitter/base-url-plugin.ts';

const CONSUMER_SECRET = 'twitter-webhook-test-consumer-secret';
const ADA = seedTwitterUser('ada_builds');

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

/** An Account Activity webhook: records POSTed events and replies with the status `respond` picks. */
class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  respond: (attempt: number) => number | 'hang' = () => 200;
  url = '';
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const status = this.respond(this.deliveries.length);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/webhooks/twitter`;
    return this;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.respond = () => 200;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('X webhook signatures', () => {
  it('computes the CRC response token and body signature as HMAC-SHA256, base64 (RFC 4231 test case 2)', () => {
    // HMAC-SHA256(key "Jefe", "what do ya want for nothing?") = 5bdcc146…3843, here in base64.
    expect(crcResponseToken('what do ya want for nothing?', 'Jefe')).toBe('sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
    expect(twitterSignature('what do ya want for nothing?', 'Jefe')).toBe('sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
    expect(twitterSignature(Buffer.from('what do ya want for nothing?'), 'Jefe')).toBe('sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
    const token = crcResponseToken('challenge-123', DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET);
    expect(token).toBe(`sha256=${createHmac('sha256', DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET).update('challenge-123').digest('base64')}`);
  });
});

describe('X emulator: Account Activity webhooks', () => {
  let receiver: WebhookReceiver;
  let emulator: TwitterEmulator;
  let ada: TwitterApi;
  const agents: Agent[] = [];
  const extraEmulators: TwitterEmulator[] = [];

  const clientFor = (target: TwitterEmulator, token: string): TwitterApi => {
    const settings = clientSettingsFor(target.url);
    if (settings.httpAgent) agents.push(settings.httpAgent);
    return new TwitterApi(token, { plugins: [baseUrlPlugin(target.url)], ...settings });
  };

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    emulator = await startTwitterEmulator({ consumerSecret: CONSUMER_SECRET, webhook: { url: receiver.url } });
    ada = clientFor(emulator, userAccessToken(ADA.id));
  });

  afterAll(async () => {
    await Promise.all([emulator?.close(), ...extraEmulators.map((extra) => extra.close())]);
    await receiver?.close();
    for (const agent of agents) agent.destroy();
  });

  afterEach(() => {
    emulator.setWebhook({ url: receiver.url });
    receiver.reset();
  });

  it('delivers a posted tweet as a signed tweet_create_events payload', async () => {
    const posted = await ada.v2.tweet('Webhooks are flowing @dmitri_codes #emulators');
    await eventually(() => receiver.deliveries.length === 1, 'the tweet_create_events delivery');

    const [{ body, headers }] = receiver.deliveries as [Delivery];
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    const expectedSignature = `sha256=${createHmac('sha256', CONSUMER_SECRET).update(body).digest('base64')}`;
    expect(headers['x-twitter-webhooks-signature']).toBe(expectedSignature);
    expect(twitterSignature(body, CONSUMER_SECRET)).toBe(expectedSignature);
    expect(twitterSignature(body, 'another-secret')).not.toBe(expectedSignature);

    const event = JSON.parse(body) as { for_user_id: string; tweet_create_events: Array<Record<string, unknown>> };
    expect(event.for_user_id).toBe(ADA.id);
    expect(event.tweet_create_events).toHaveLength(1);
    const [tweet] = event.tweet_create_events as [Record<string, unknown>];
    expect(tweet).toMatchObject({
      id_str: posted.data.id,
      text: 'Webhooks are flowing @dmitri_codes #emulators',
      truncated: false,
      in_reply_to_status_id: null,
      lang: 'en',
      user: { id_str: ADA.id, screen_name: 'ada_builds', name: 'Ada Okafor' },
      entities: {
        hashtags: [{ text: 'emulators', indices: [35, 45] }],
        user_mentions: [{ screen_name: 'dmitri_codes', id_str: seedTwitterUser('dmitri_codes').id, indices: [21, 34] }],
      },
    });
    expect(tweet['created_at']).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);
    expect(Number(tweet['timestamp_ms'])).toBe(Date.parse(String(tweet['created_at'])));
    // v1.1 ids are 64-bit JSON numbers, written digit for digit (JSON.parse in JS rounds them).
    expect(body).toContain(`"id":${posted.data.id},"id_str":"${posted.data.id}"`);
    expect(body).toContain(`"id":${ADA.id},"id_str":"${ADA.id}"`);
  });

  it('delivers a deletion as tweet_delete_events', async () => {
    const posted = await ada.v2.tweet('Here one moment');
    await eventually(() => receiver.deliveries.length === 1, 'the create delivery');
    const before = Date.now();
    await ada.v2.deleteTweet(posted.data.id);
    await eventually(() => receiver.deliveries.length === 2, 'the delete delivery');

    const { body, headers } = receiver.deliveries[1]!;
    expect(headers['x-twitter-webhooks-signature']).toBe(twitterSignature(body, CONSUMER_SECRET));
    const event = JSON.parse(body) as { for_user_id: string; tweet_delete_events: Array<{ status: { id: string; user_id: string }; timestamp_ms: string }> };
    expect(event).toEqual({
      for_user_id: ADA.id,
      tweet_delete_events: [{ status: { id: posted.data.id, user_id: ADA.id }, timestamp_ms: expect.stringMatching(/^\d{13}$/) }],
    });
    expect(Number(event.tweet_delete_events[0]?.timestamp_ms)).toBeGreaterThanOrEqual(before);
  });

  it('retries a failing receiver a bounded number of times, with the same signed body', async () => {
    receiver.respond = (attempt) => (attempt < 3 ? 503 : 200);
    await ada.v2.tweet('Third time lucky');
    await eventually(() => receiver.deliveries.length === 3, 'three attempts');
    const [first, ...retries] = receiver.deliveries;
    for (const retry of retries) {
      expect(retry.body).toBe(first?.body);
      expect(retry.headers['x-twitter-webhooks-signature']).toBe(first?.headers['x-twitter-webhooks-signature']);
    }

    receiver.reset();
    receiver.respond = () => 500;
    await ada.v2.tweet('Never acknowledged');
    await eventually(() => receiver.deliveries.length === 3, 'the attempts to give up');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.deliveries).toHaveLength(3); // one attempt and two retries, then dropped
  });

  it('delivers nothing once the webhook is removed', async () => {
    emulator.setWebhook(undefined);
    await ada.v2.tweet('Nobody is listening');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('never holds an answer for a stuck receiver, and closes promptly when it hangs or is gone', async () => {
    const stuck = await startTwitterEmulator({ consumerSecret: CONSUMER_SECRET, webhook: { url: receiver.url } });
    extraEmulators.push(stuck);
    receiver.respond = () => 'hang';
    let started = Date.now();
    await clientFor(stuck, userAccessToken(ADA.id)).v2.tweet('The receiver is stuck');
    expect(Date.now() - started).toBeLessThan(1_000);
    await eventually(() => receiver.deliveries.length === 1, 'the delivery to be in flight');
    started = Date.now();
    await stuck.close();
    expect(Date.now() - started).toBeLessThan(1_000);

    const orphaned = await startTwitterEmulator({ webhook: { url: 'http://127.0.0.1:9/nobody-home' } });
    extraEmulators.push(orphaned);
    await clientFor(orphaned, userAccessToken(ADA.id)).v2.tweet('Into the void');
    started = Date.now();
    await orphaned.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
