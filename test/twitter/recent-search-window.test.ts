import { ApiResponseError } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRecent } from '../../subgraphs/twitter/tweets.ts';
import { startXUnderTest, type XUnderTest } from './x-subgraph-client.ts';

const DAY_MS = 86_400_000;

describe('X recent search covers the last seven days (through the subgraph client)', () => {
  let x: XUnderTest;
  beforeAll(async () => {
    x = await startXUnderTest();
  });
  afterAll(async () => {
    await x?.close();
  });

  it('finds recent seed posts, and none older than seven days', async () => {
    const nowMs = Date.now();
    const page = await x.call(() => searchRecent(x.clients.reader, x.guard, { query: 'graphql OR the', first: 100 }));
    expect(page.tweets.length).toBeGreaterThan(0);
    for (const tweet of page.tweets) expect(Date.parse(tweet.createdAt!)).toBeGreaterThanOrEqual(nowMs - 7 * DAY_MS - 60_000);
    // The seed follows the emulator's clock: its newest posts are from the last day.
    expect(Date.parse(page.tweets[0]!.createdAt!)).toBeGreaterThan(nowMs - 2 * DAY_MS);
  });

  it('answers a start_time older than seven days with X\'s Invalid Request (400), BAD_USER_INPUT in the subgraph', async () => {
    const eightDaysAgo = new Date(Date.now() - 8 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    const search = () => x.clients.reader.v2.search('graphql', { start_time: eightDaysAgo });
    const error = await search().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ApiResponseError);
    const response = error as ApiResponseError;
    expect(response.code).toBe(400);
    expect(response.data).toMatchObject({
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
      errors: [{ parameters: { start_time: [eightDaysAgo] }, message: expect.stringMatching(/^Invalid 'start_time':'.+'\. 'start_time' must be on or after \d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/) }],
    });
    expect((await x.failure(search)).extensions['code']).toBe('BAD_USER_INPUT');
  });

  it('accepts a start_time within the window', async () => {
    const sixDaysAgo = new Date(Date.now() - 6 * DAY_MS).toISOString();
    const page = await x.clients.reader.v2.search('graphql OR the', { start_time: sixDaysAgo, 'tweet.fields': ['created_at'] });
    for (const tweet of page.tweets) expect(Date.parse(tweet.created_at!)).toBeGreaterThanOrEqual(Date.parse(sixDaysAgo));
  });
});

describe('the X seed is dated by the emulator clock', () => {
  it('has posts within the search window of a clock years from now', async () => {
    const pinned = Date.UTC(2031, 5, 15, 12, 0, 0);
    const x = await startXUnderTest({ now: () => pinned });
    try {
      const page = await x.clients.reader.v2.search('graphql OR the', { 'tweet.fields': ['created_at'], max_results: 100 });
      expect(page.tweets.length).toBeGreaterThan(0);
      for (const tweet of page.tweets) {
        const created = Date.parse(tweet.created_at!);
        expect(created).toBeLessThanOrEqual(pinned);
        expect(created).toBeGreaterThanOrEqual(pinned - 7 * DAY_MS);
      }
    } finally {
      await x.close();
    }
  });
});
