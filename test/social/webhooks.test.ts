import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { GITHUB_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET } from '../../emulators/twitter/server.ts';
import { crcResponseToken, twitterSignature } from '../../emulators/twitter/webhook-signature.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import type { DomainEvent } from '../../kit/events/event-bus.ts';
import { SOCIAL_TOPIC } from '../../subgraphs/github/webhooks.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startTestApp } from '../support/app.ts';
import { recordEvents } from '../support/event-recorder.ts';
import { adminHeaders } from '../support/tokens.ts';

/** GitHub's real example payloads, as shipped by @octokit/webhooks-examples. */
const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const recorded = (name: string) => definitions.find((d) => d.name === name)!.examples[0]!;
/**
 * A recorded payload as if it happened now (its signed event time is checked against the de-duplication
 * window), made unique, since de-duplication is by body.
 */
function example(name: string, at = new Date()): Record<string, unknown> {
  const payload = structuredClone(recorded(name)) as Record<string, unknown> & { issue?: Record<string, unknown>; repository?: Record<string, unknown> };
  if ('starred_at' in payload) payload['starred_at'] = at.toISOString();
  if (payload.issue) payload.issue['updated_at'] = at.toISOString();
  if (name === 'push' && payload.repository) payload.repository['pushed_at'] = Math.floor(at.getTime() / 1000);
  return { ...payload, test_marker: randomUUID() };
}

let app: RunningApp;
let base: string;
let events: ReturnType<typeof recordEvents>;
beforeAll(async () => {
  app = await startTestApp();
  base = app.gateway.url.replace(/\/graphql$/, '');
  events = recordEvents(app.eventBus, SOCIAL_TOPIC);
});
afterAll(async () => {
  await app?.close();
});

/** The GraphQL calls here are about webhooks, not access: they are made as an operator who may do anything. */
const query = async <Data = Record<string, unknown>>(text: string, variables?: Record<string, unknown>) =>
  postGraphQL<Data>(app.gateway.url, text, variables, await adminHeaders());

const eventually = (match: (event: DomainEvent) => boolean) => events.next(match);

async function deliverGitHub(name: string, payload: unknown, { delivery = randomUUID(), secret = GITHUB_EMULATOR_WEBHOOK_SECRET } = {}) {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': delivery,
      'x-hub-signature-256': await sign(secret, body),
    },
    body,
  });
}

describe('POST /webhooks/github', () => {
  it.each([
    ['star', 'repository.starred'],
    ['push', 'repository.pushed'],
    ['issues', 'issue.'],
    ['repository', 'repository.'],
  ])('accepts a real signed %s payload and publishes %s…', async (name, type) => {
    const delivery = randomUUID();
    const response = await deliverGitHub(name, example(name), { delivery });
    expect(response.status).toBe(200);
    const event = await eventually((e) => e.id === delivery);
    expect(event.type.startsWith(type)).toBe(true);
    expect(event.keys['repository']).toBe((recorded(name) as { repository: { full_name: string } }).repository.full_name);
  });

  it('publishes nothing about a private repository', async () => {
    // A public repository's star first, so that the one about the private repository has had time to appear.
    const hidden = randomUUID();
    const payload = example('star') as { repository: Record<string, unknown> };
    payload.repository['private'] = true;
    expect((await deliverGitHub('star', payload, { delivery: hidden })).status).toBe(200);
    const shown = randomUUID();
    expect((await deliverGitHub('star', example('star'), { delivery: shown })).status).toBe(200);
    await eventually((e) => e.id === shown);
    expect(events.published.find((e) => e.id === hidden)).toBeUndefined();
  });

  it('acknowledges ping without publishing anything', async () => {
    const delivery = randomUUID();
    expect((await deliverGitHub('ping', example('ping'), { delivery })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.find((e) => e.id === delivery)).toBeUndefined();
  });

  it('refuses a wrong signature and unsigned deliveries, processing nothing', async () => {
    const delivery = randomUUID();
    expect((await deliverGitHub('star', example('star'), { delivery, secret: 'not-the-secret' })).status).toBe(400);
    const unsigned = await fetch(`${base}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'star' }, body: '{}' });
    expect(unsigned.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.find((e) => e.id === delivery)).toBeUndefined();
  });

  it('processes a redelivery (same id, same body) once', async () => {
    const delivery = randomUUID();
    const payload = example('star');
    await deliverGitHub('star', payload, { delivery });
    const again = await deliverGitHub('star', payload, { delivery });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await eventually((e) => e.id === delivery);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.filter((e) => e.id === delivery)).toHaveLength(1);
  });

  it('processes a captured body once, whatever delivery id or event name a replay claims', async () => {
    const payload = example('star');
    const delivery = randomUUID();
    expect((await deliverGitHub('star', payload, { delivery })).status).toBe(200);
    await eventually((e) => e.id === delivery);
    const before = events.published.length;
    const freshId = await deliverGitHub('star', payload);
    expect(await freshId.json()).toEqual({ received: true, duplicate: true });
    const otherEvent = await deliverGitHub('repository', payload);
    expect(await otherEvent.json()).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.slice(before)).toEqual([]);
  });

  it('refuses a signed body whose event is older than the de-duplication window, or that is not the event it is labelled', async () => {
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    const old = randomUUID();
    const stale = await deliverGitHub('star', example('star', eightDaysAgo), { delivery: old });
    expect(stale.status).toBe(400);
    const relabelled = randomUUID();
    expect((await deliverGitHub('push', example('star'), { delivery: relabelled })).status).toBe(400);
    expect((await deliverGitHub('issues', example('star'), { delivery: relabelled })).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.published.filter((e) => e.id === old || e.id === relabelled)).toEqual([]);
  });

  it('receives the emulator’s own signed star event when a repository is starred through the gateway', async () => {
    const login = seedCustomers.find((c) => c.githubLogin)!.githubLogin!;
    const user = await query<{ githubUser: { repositories: { nameWithOwner: string; stars: number }[] } }>(
      `{ githubUser(login: "${login}") { repositories(first: 1) { nameWithOwner stars } } }`,
    );
    const repository = user.body.data!.githubUser.repositories[0]!;
    const starred = await query<{ starGitHubRepository: { stars: number } }>(
      `mutation { starGitHubRepository(nameWithOwner: "${repository.nameWithOwner}") { stars } }`,
    );
    expect(starred.body.data!.starGitHubRepository.stars).toBe(repository.stars + 1);
    await eventually((e) => e.type === 'repository.starred' && e.keys['repository'] === repository.nameWithOwner);
  });
});

describe('/webhooks/twitter', () => {
  it('answers the CRC challenge with the consumer secret’s HMAC', async () => {
    const response = await fetch(`${base}/webhooks/twitter?crc_token=challenge-123`);
    expect(await response.json()).toEqual({ response_token: crcResponseToken('challenge-123', DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET) });
  });

  it('accepts a signed tweet_create_events delivery and refuses a forged one', async () => {
    const body = JSON.stringify({ for_user_id: '42', tweet_create_events: [{ id_str: '1999000000000000001', text: 'hello', user: { id_str: '42', screen_name: 'someone' } }] });
    const forged = await fetch(`${base}/webhooks/twitter`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': twitterSignature(body, 'wrong-secret') }, body });
    expect(forged.status).toBe(400);
    const genuine = await fetch(`${base}/webhooks/twitter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': twitterSignature(body, DEFAULT_TWITTER_EMULATOR_CONSUMER_SECRET) },
      body,
    });
    expect(genuine.status).toBe(200);
    await eventually((e) => e.type === 'tweet.created' && e.keys['tweetId'] === '1999000000000000001');
  });

  it('receives the emulator’s event for a post made through the gateway, and shows it in the timeline', async () => {
    const text = `Shipped the gateway ${randomUUID().slice(0, 8)}`;
    const posted = await query<{ postTweet: { id: string; author: { username: string } } }>(
      `mutation ($text: String!) { postTweet(text: $text) { id text author { username } } }`,
      { text },
    );
    expect(posted.body.errors).toBeUndefined();
    const { id, author } = posted.body.data!.postTweet;
    await eventually((e) => e.type === 'tweet.created' && e.keys['tweetId'] === id);
    const timeline = await query<{ twitterUser: { tweets: { nodes: { id: string }[] } } }>(
      `{ twitterUser(username: "${author.username}") { tweets(first: 5) { nodes { id } } } }`,
    );
    expect(timeline.body.data!.twitterUser.tweets.nodes[0]!.id).toBe(id);
  });
});
