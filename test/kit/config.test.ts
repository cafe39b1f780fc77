import { describe, expect, it } from 'vitest';
import { configure } from '../../app/configure.ts';
import { providers } from '../../app/providers.ts';
import { ConfigError } from '../../kit/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    configure(env, providers);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('configuration from the environment', () => {
  it('accepts an empty environment: every provider falls back to its emulator', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('lists every invalid variable at once, by name', () => {
    const problems = problemsOf({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/whole number/);
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(problems.some((p) => p.startsWith('LOG_LEVEL:'))).toBe(true);
  });

  it('checks the emulators’ own variables with the rest, by name', () => {
    const problems = problemsOf({ EMULATOR_X_TIER: 'bogus', EMULATOR_FAULTS_STRIPE: '{"errorRate":2}', EMULATOR_STRIPE_WEBHOOK_CHAOS: 'sometimes', LOG_LEVEL: 'loud' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'EMULATOR_X_TIER: expected one of free, basic, pro',
        expect.stringMatching(/^EMULATOR_FAULTS_STRIPE: errorRate/),
        expect.stringMatching(/^EMULATOR_STRIPE_WEBHOOK_CHAOS: expected 1, true, or a JSON object/),
        expect.stringMatching(/^LOG_LEVEL:/),
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).not.toContain('bogus');
    // Only the emulators that run: with a real X token, X's tier is not the app's concern.
    expect(problemsOf({ EMULATOR_X_TIER: 'bogus', TWITTER_BEARER_TOKEN: 'a-real-token' })).toEqual([]);
  });

  it('says what a decimal variable expects when it is not a number at all, and takes only plain decimals', () => {
    for (const value of ['abc', 'Infinity', '1e400', '0x10']) {
      const problems = problemsOf({ CACHE_TTL_SCALE: value, BREAKER_MIN_RPS: value, BREAKER_FAILURE_RATIO: value });
      expect(problems.sort(), value).toEqual(['BREAKER_FAILURE_RATIO: expected a number above 0 and at most 1', 'BREAKER_MIN_RPS: expected a number above 0', 'CACHE_TTL_SCALE: expected a number above 0']);
    }
    expect(problemsOf({ CACHE_TTL_SCALE: '0.5', BREAKER_MIN_RPS: '2', BREAKER_FAILURE_RATIO: '.25' })).toEqual([]);
  });

  it('refuses CORS_ORIGINS entries no browser Origin header could match (a path, a trailing slash, no scheme), naming their place', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com/,https://admin.example.com,app.example.com,https://x.example.com:443' })).toEqual([
      'CORS_ORIGINS: entries 1, 3, 4 are not origins: write each as a browser sends it, scheme://host or scheme://host:port, with no path, no trailing slash and no default port',
    ]);
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000, capacitor://localhost' })).toEqual([]);
  });

  it('never repeats a value back, since a value may be a secret', () => {
    const secret = 'sk_live_verysecretvalue';
    const problems = problemsOf({ S3_ACCESS_KEY_ID: secret, PORT: secret });
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems.some((p) => p.startsWith('S3_SECRET_ACCESS_KEY:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('S3_BUCKETS:'))).toBe(true);
  });

  it('checks a real Stripe key’s shape, without echoing it', () => {
    const problems = problemsOf({ STRIPE_SECRET_KEY: 'pk_live_publishable_by_mistake' });
    expect(problems).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY: expected a secret or restricted key/)]);
    expect(problems.join('')).not.toContain('pk_live_publishable_by_mistake');
  });

  it('requires a way to verify tokens and the subgraph secret in production, and issuer and audience with a JWKS', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWT_SECRET: required in production/),
        expect.stringMatching(/^SUBGRAPH_SECRET: required in production/),
        // Users' tokens are never kept under a generated key in production (once, though three providers read it).
        expect.stringMatching(/^CONNECTIONS_ENCRYPTION_KEYS: required in production/),
      ]),
    );
    expect(problemsOf({ NODE_ENV: 'production' })).toHaveLength(3);
    const vaultKeys = { CONNECTIONS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
    const subgraphSecret = 'a-subgraph-secret-of-at-least-32-characters';
    expect(problemsOf({ NODE_ENV: 'production', ...vaultKeys, SUBGRAPH_SECRET: subgraphSecret })).toEqual([expect.stringMatching(/^JWT_SECRET: required in production/)]);
    expect(problemsOf({ NODE_ENV: 'production', ...vaultKeys, JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters' })).toEqual([
      expect.stringMatching(/^SUBGRAPH_SECRET: required in production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', ...vaultKeys, JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters', SUBGRAPH_SECRET: subgraphSecret })).toEqual([]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ...vaultKeys,
        JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
        JWT_ISSUER: 'https://id.example/',
        JWT_AUDIENCE: 'gateway',
        SUBGRAPH_SECRET: subgraphSecret,
      }),
    ).toEqual([]);
    expect(problemsOf({ SUBGRAPH_SECRET: 'too-short' })).toEqual([expect.stringMatching(/^SUBGRAPH_SECRET: must be at least 32 characters/)]);
    expect(problemsOf({ JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json' })).toEqual([expect.stringMatching(/^JWT_ISSUER: required with JWT_JWKS_URL/)]);
    expect(problemsOf({ JWT_SECRET: 'too-short' })).toEqual([expect.stringMatching(/^JWT_SECRET: must be at least 32 characters/)]);
  });

  it('refuses a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: /)]);
  });
});
