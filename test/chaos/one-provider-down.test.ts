import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { emulatorUrl, startTestApp } from '../support/app.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';

/**
 * A failing provider must not take the others' data with it: the README's `viewer` query, with one
 * provider answering every call with an error, still brings every other provider's part, and the failing
 * part's error at its path.
 */
const PROVIDERS = ['stripe', 'github', 'twitter', 's3'] as const;
type Provider = (typeof PROVIDERS)[number];

const VIEWER = /* GraphQL */ `
  {
    viewer {
      customer { name paymentIntents(first: 3) { nodes { amount { formatted } status } } }
      github { login repositories(first: 3) { nameWithOwner stars } }
      twitter { username tweets(first: 5) { edges { node { text } } } }
      files(first: 5) { nodes { key size downloadUrl(expiresIn: 300) } }
    }
  }
`;

/** Where each provider's part of the answer is, and the path of its first failing field. */
const PART: Record<Provider, { present: (viewer: Record<string, unknown>) => boolean; failsAt: string }> = {
  stripe: { present: (v) => typeof (v['customer'] as { name?: unknown } | null)?.name === 'string', failsAt: 'customer' },
  github: { present: (v) => Array.isArray((v['github'] as { repositories?: unknown } | null)?.repositories), failsAt: 'github' },
  twitter: { present: (v) => typeof (v['twitter'] as { username?: unknown } | null)?.username === 'string', failsAt: 'twitter' },
  s3: { present: (v) => Array.isArray((v['files'] as { nodes?: unknown } | null)?.nodes), failsAt: 'files' },
};

let app: RunningApp;
let headers: Record<string, string>;
beforeAll(async () => {
  // Entries age in milliseconds, so every request reaches the providers (nothing is served from cache or stale).
  app = await startTestApp({ CACHE_TTL_SCALE: '0.00001', CACHE_STALE_SECONDS: '0', RATE_LIMIT_PER_SECOND: '0' });
  const ada = seedCustomers[0]!;
  headers = await authorization({
    sub: 'ada',
    scope: 'payments:read social:read storage:read',
    customer: ada.id,
    github: ada.githubLogin,
    twitter: ada.twitterUsername,
    storage_prefix: `customers/${ada.id}/`,
  });
});
afterAll(async () => {
  await app?.close();
});
afterEach(async () => {
  await Promise.all(PROVIDERS.map((p) => fetch(`${emulatorUrl(app, p)}/_emulator/faults`, { method: 'DELETE' })));
});

describe('one provider down', () => {
  it('answers the whole viewer query when every provider is up', async () => {
    const response = await postGraphQL<{ viewer: Record<string, unknown> }>(app.gateway.url, VIEWER, undefined, headers);
    expect(response.body.errors).toBeUndefined();
    for (const provider of PROVIDERS) expect(PART[provider].present(response.body.data!.viewer), provider).toBe(true);
  });

  for (const down of PROVIDERS) {
    it(`keeps every other provider's part when ${down} answers every call with an error`, async () => {
      const faults = await fetch(`${emulatorUrl(app, down)}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seed: 1, errorRate: 1, errorStatuses: [503] }),
      });
      expect(faults.status).toBeLessThan(300);
      const response = await postGraphQL<{ viewer: Record<string, unknown> | null }>(app.gateway.url, VIEWER, undefined, headers);
      expect(response.status).toBe(200);
      const viewer = response.body.data?.viewer;
      expect(viewer, JSON.stringify(response.body)).toBeTruthy();
      for (const up of PROVIDERS.filter((p) => p !== down)) expect(PART[up].present(viewer!), `${up} with ${down} down: ${JSON.stringify(response.body)}`).toBe(true);
      expect(PART[down].present(viewer!)).toBe(false);
      const paths = (response.body.errors ?? []).map((error) => (error.path ?? []).slice(0, 2).join('.'));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path, JSON.stringify(response.body.errors)).toBe(`viewer.${PART[down].failsAt}`);
    });
  }
});
