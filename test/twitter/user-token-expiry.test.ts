import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { seedTwitterUser } from '../../emulators/twitter/fixtures/seed.ts';
import { clientSettingsFor, baseUrlPlugin } from '../../subgraphs/twitter/base-url-plugin.ts';
import { postTweet } from '../../subgraphs/twitter/tweets.ts';
import { startXUnderTest } from './x-subgraph-client.ts';

const ADA = seedTwitterUser('ada_builds');

describe('X user tokens expire (through the subgraph client)', () => {
  it('posts with the token npm start mints, and refuses the old fixed never-expiring token', async () => {
    const x = await startXUnderTest();
    const settings = clientSettingsFor(x.emulator.url);
    try {
      expect(await x.call(() => postTweet(x.clients.writer!, x.guard, 'Posted with a fresh token'))).toMatch(/^\d+$/);
      const fixed = new TwitterApi(`user-${ADA.id}`, { plugins: [baseUrlPlugin(x.emulator.url)], ...settings });
      const refused = await fixed.v2.me().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiResponseError);
      expect((refused as ApiResponseError).code).toBe(401);
    } finally {
      settings.httpAgent?.destroy();
      await x.close();
    }
  });

  it('answers an expired token (minted through the control endpoint) with X\'s 401, reported as an expired connection without tripping the breaker', async () => {
    const x = await startXUnderTest();
    try {
      const minted = await x.control('oauth2/token', { username: 'ada_builds', expiresInSeconds: 0 });
      expect(minted.status).toBe(200);
      const body = (await minted.json()) as { token_type: string; access_token: string; expires_in: number };
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 0 });
      const expired = body.access_token;
      const agent = clientSettingsFor(x.emulator.url);
      const writer = new TwitterApi(expired, { plugins: [baseUrlPlugin(x.emulator.url)], ...agent });
      try {
        const raw = await writer.v2.tweet('Too late').catch((error: unknown) => error);
        expect(raw).toBeInstanceOf(ApiResponseError);
        expect((raw as ApiResponseError).code).toBe(401);
        expect((raw as ApiResponseError).data).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });

        const before = x.policy.state();
        for (let attempt = 0; attempt < 12; attempt++) {
          const error = await x.failure(() => postTweet(writer, x.guard, `Too late ${attempt}`));
          expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', provider: 'twitter', reason: 'X_CREDENTIALS_EXPIRED' });
          expect(error.message).toMatch(/X account connection has expired/);
        }
        expect(before).toBe('closed');
        expect(x.policy.state()).toBe('closed');
      } finally {
        agent.httpAgent?.destroy();
      }
    } finally {
      await x.close();
    }
  });

  it('expires a token two hours after it was issued, by the emulator clock', async () => {
    let nowMs = Date.now();
    const x = await startXUnderTest({ now: () => nowMs });
    const settings = clientSettingsFor(x.emulator.url);
    try {
      const { accessToken, expiresAtMs } = x.emulator.mintUserToken(ADA.id);
      expect(expiresAtMs).toBe(Math.floor(nowMs + 7_200_000));
      const writer = new TwitterApi(accessToken, { plugins: [baseUrlPlugin(x.emulator.url)], ...settings });
      expect(await x.call(() => postTweet(writer, x.guard, 'Within the two hours'))).toMatch(/^\d+$/);
      nowMs += 7_200_000;
      const error = await x.failure(() => postTweet(writer, x.guard, 'After the two hours'));
      expect(error.extensions['code']).toBe('UNAUTHENTICATED');
      expect(error.extensions['code']).not.toBe('PROVIDER_UNAVAILABLE');
    } finally {
      settings.httpAgent?.destroy();
      await x.close();
    }
  });
});
