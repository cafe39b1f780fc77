import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Emulator, type S3Emulator } from '../emulators/s3/server.ts';
import { SEED_BUCKETS } from '../emulators/s3/fixtures/seed.ts';
import type { RunningApp } from '../app/start-app.ts';
import { postGraphQL } from './support/graphql-client.ts';
import { startTestApp } from './support/app.ts';
import { adminHeaders } from './support/tokens.ts';

describe('a provider with real credentials', () => {
  // Stands in for the real service: the app must treat it as real, start no emulator, and use it.
  let external: S3Emulator;
  let app: RunningApp;
  beforeAll(async () => {
    external = await startS3Emulator({ credentials: { accessKeyId: 'AKIAREALLOOKING', secretAccessKey: 'real-looking-secret' } });
    app = await startTestApp({
      S3_ENDPOINT: external.url,
      S3_ACCESS_KEY_ID: 'AKIAREALLOOKING',
      S3_SECRET_ACCESS_KEY: 'real-looking-secret',
      S3_FORCE_PATH_STYLE: 'true',
      S3_BUCKETS: SEED_BUCKETS.assets,
    });
  });
  afterAll(async () => {
    await app?.close();
    await external?.close();
  });

  it('starts no emulator for it and serves it through the gateway', async () => {
    expect(app.emulators.map((e) => e.name)).not.toContain('s3');
    external.requests.reset();
    const response = await postGraphQL(app.gateway.url, '{ buckets { name } }', undefined, await adminHeaders());
    expect(response.body).toEqual({ data: { buckets: [{ name: SEED_BUCKETS.assets }] } });
    expect(external.requests.count('HeadBucket')).toBe(1);
  });
});
