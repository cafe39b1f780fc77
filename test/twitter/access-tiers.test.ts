import { ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { postTweet, retrieveTimeline } from '../../subgraphs/twitter/tweets.ts';
import { retrieveUsersByUsernames } from '../../subgraphs/twitter/users.ts';
import { seedTwitterUser } from '../../emulators/twitter/fixtures/seed.ts';
import { startXUnderTest } from './x-subgraph-client.ts';

const ADA = seedTwitterUser('ada_builds');
const DAY_S = 86_400;

async function apiError(promise: Promise<unknown>): Promise<ApiResponseError> {
  const error = await promise.then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(ApiResponseError);
  return error as ApiResponseError;
}

describe('X access tiers (through the subgraph client)', () => {
  it('defaults to Basic: users lookup 300 per 15 minutes and 500 per 24 hours for the app, with both headers', async () => {
    const x = await startXUnderTest();
    try {
      expect(x.emulator.tier).toBe('basic');
      const response = await x.clients.reader.v2.get('users/by', { usernames: 'ada_builds' }, { fullResponse: true });
      expect(response.headers).toMatchObject({ 'x-rate-limit-limit': '300', 'x-rate-limit-remaining': '299', 'x-app-limit-24hour-limit': '500', 'x-app-limit-24hour-remaining': '499' });
      expect(Number(response.headers['x-app-limit-24hour-reset'])).toBeGreaterThan(Number(response.headers['x-rate-limit-reset']));
      // App-only calls carry no per-user cap.
      expect(response.headers['x-user-limit-24hour-limit']).toBeUndefined();
      // Basic's timeline cap: 10 per 15 minutes per app.
      const timeline = await x.clients.reader.v2.userTimeline(ADA.id);
      expect(timeline.rateLimit).toMatchObject({ limit: 10, remaining: 9 });
    } finally {
      await x.close();
    }
  });

  it('a spent 24-hour cap answers 429 while the 15-minute window has room; RATE_LIMITED with the 24-hour reset, and no further calls', async () => {
    const x = await startXUnderTest();
    try {
      await x.clients.reader.v2.usersByUsernames(['ada_builds']);
      expect((await x.control('rate-limits', { spend: 'GET /2/users/by', window: '24hour' })).status).toBe(204);
      const refused = await apiError(x.clients.reader.v2.usersByUsernames(['ada_builds']));
      expect(refused.code).toBe(429);
      expect(refused.rateLimit!.remaining).toBeGreaterThan(0);
      expect(refused.rateLimit!.day).toMatchObject({ limit: 500, remaining: 0 });

      const error = await x.failure(() => retrieveUsersByUsernames(x.clients.reader, x.guard, ['ada_builds']));
      expect(error.extensions['code']).toBe('RATE_LIMITED');
      const retryAfter = Number(error.extensions['retryAfter']);
      expect(retryAfter).toBeGreaterThan(15 * 60);
      expect(retryAfter).toBeLessThanOrEqual(DAY_S + 1); // resets are whole seconds, rounded up

      x.emulator.requests.reset();
      const again = await x.failure(() => retrieveUsersByUsernames(x.clients.reader, x.guard, ['dmitri_codes']));
      expect(again.extensions['code']).toBe('RATE_LIMITED');
      expect(Number(again.extensions['retryAfter'])).toBeGreaterThan(15 * 60);
      expect(x.emulator.requests.byOperation()).toEqual({});
    } finally {
      await x.close();
    }
  });

  it('Free: 17 posts per 24 hours per user; the spent daily cap is the retryAfter, while x-rate-limit-remaining is above 0', async () => {
    const x = await startXUnderTest({ tier: 'free' });
    try {
      const posted = await x.clients.writer!.v2.post('tweets', { text: 'One of seventeen' }, { fullResponse: true });
      expect(posted.headers).toMatchObject({ 'x-rate-limit-limit': '200', 'x-user-limit-24hour-limit': '17', 'x-user-limit-24hour-remaining': '16', 'x-app-limit-24hour-limit': '17' });
      expect((await x.control('rate-limits', { spend: 'POST /2/tweets', window: '24hour' })).status).toBe(204);

      const raw = await apiError(x.clients.writer!.v2.tweet('Over the daily cap'));
      expect(raw.code).toBe(429);
      expect(raw.rateLimit!.remaining).toBeGreaterThan(0);
      expect(raw.rateLimit!.userDay!.remaining).toBe(0);

      const error = await x.failure(() => postTweet(x.clients.writer!, x.guard, 'Still over'));
      expect(error.extensions['code']).toBe('RATE_LIMITED');
      expect(Number(error.extensions['retryAfter'])).toBeGreaterThan(15 * 60);
      x.emulator.requests.reset();
      expect((await x.failure(() => postTweet(x.clients.writer!, x.guard, 'And again'))).extensions['code']).toBe('RATE_LIMITED');
      expect(x.emulator.requests.byOperation()).toEqual({});
    } finally {
      await x.close();
    }
  });

  it('Free: one timeline call per 15 minutes; the second is RATE_LIMITED until the 15-minute reset', async () => {
    const x = await startXUnderTest({ tier: 'free' });
    try {
      await x.call(() => retrieveTimeline(x.clients.reader, x.guard, { userId: ADA.id, first: 5 }));
      const error = await x.failure(() => retrieveTimeline(x.clients.reader, x.guard, { userId: ADA.id, first: 5 }));
      expect(error.extensions['code']).toBe('RATE_LIMITED');
      expect(Number(error.extensions["retryAfter"])).toBeLessThanOrEqual(15 * 60 + 1);
    } finally {
      await x.close();
    }
  });

  it('Pro and EMULATOR_X_TIER: the tier comes from the environment when not given', async () => {
    const previous = process.env['EMULATOR_X_TIER'];
    process.env['EMULATOR_X_TIER'] = 'pro';
    try {
      const x = await startXUnderTest();
      try {
        expect(x.emulator.tier).toBe('pro');
        const timeline = await x.clients.reader.v2.userTimeline(ADA.id);
        expect(timeline.rateLimit).toMatchObject({ limit: 1500, remaining: 1499 });
        expect(timeline.rateLimit.day).toBeUndefined();
      } finally {
        await x.close();
      }
    } finally {
      if (previous === undefined) delete process.env['EMULATOR_X_TIER'];
      else process.env['EMULATOR_X_TIER'] = previous;
    }
  });
});
