import { describe, expect, it } from 'vitest';
import { runBin } from './processes.ts';
import { SCOPES } from '../../kit/access/principal.ts';

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe.each([
  {
    script: 'token.ts',
    options: ['--sub', '--scopes', '--customer', '--github', '--twitter', '--storage-prefix', '--ttl', '--help'],
    example: /npm run token -- --sub ada --scopes payments:read/,
  },
  {
    script: 'webhook-stripe.ts',
    options: ['--customer', '--url', '--secret', '--help'],
    example: /npm run webhook:stripe -- payment_intent\.succeeded/,
  },
])('bin/$script', ({ script, options, example }) => {
  it.each(['--help', '-h'])('%s prints what it does, every option and an example to stdout, and exits 0', async (flag) => {
    const cli = runBin(script, [flag]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/^Usage: npm run /);
    for (const option of options) expect(cli.stdout()).toContain(option);
    expect(cli.stdout()).toMatch(example);
    expect(cli.stderr()).toBe('');
  });

  it('refuses an unknown option with the usage on stderr and status 2, without a stack trace', async () => {
    const cli = runBin(script, ['--no-such-option']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/Unknown option '--no-such-option'/);
    expect(cli.stderr()).toMatch(/Usage: npm run /);
    expect(cli.stderr()).not.toMatch(STACK_TRACE);
    expect(cli.stdout()).toBe('');
  });
});

describe('bin/token.ts', () => {
  it('says the token outlives --ttl by the gateway’s clock tolerance', async () => {
    const cli = runBin('token.ts', ['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/--ttl[\s\S]*JWT_CLOCK_TOLERANCE_SECONDS \(default 30 s\)/);
  });

  it('lists every scope the gateway knows', async () => {
    const cli = runBin('token.ts', ['--help']);
    expect(await cli.exited).toBe(0);
    for (const scope of SCOPES) expect(cli.stdout()).toContain(scope);
  });

  it.each([
    [['--scopes', 'admin'], /--sub is required/],
    [['--sub', 'ada', '--ttl', 'forever'], /--ttl: expected a duration such as 30m, 1h or 2d, got "forever"/],
    [['--sub'], /Option '--sub <value>' argument missing/],
    [['--sub', 'ada', '--scopes', 'payments:read,payment:write'], /--scopes: payment:write is not a scope the gateway knows \(payments:read, .*, admin\)/],
  ])('refuses %j with what is wrong, then the usage (status 2, no stack trace)', async (args, problem) => {
    const cli = runBin('token.ts', args);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(problem);
    expect(cli.stderr()).toMatch(/Usage: npm run token/);
    expect(cli.stderr()).not.toMatch(STACK_TRACE);
  });

  it('still prints a token', async () => {
    const cli = runBin('token.ts', ['--sub', 'ada', '--scopes', 'payments:read', '--ttl', '5m'], { JWT_SECRET: 'a-test-secret-of-at-least-thirty-two-characters' });
    expect(await cli.exited).toBe(0);
    const [, payload] = cli.stdout().trim().split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { sub: string; scope: string; exp: number; iat: number };
    expect(claims).toMatchObject({ sub: 'ada', scope: 'payments:read' });
    expect(claims.exp - claims.iat).toBe(300);
  });
});

describe('bin/webhook-stripe.ts', () => {
  it.each([
    [[], /an event type is required/],
    [['payment_intent.succeeded', '--customer', 'ada'], /--customer: expected a Stripe customer id \(cus_…\), got "ada"/],
  ])('refuses %j with what is wrong, then the usage (status 2)', async (args, problem) => {
    const cli = runBin('webhook-stripe.ts', args);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(problem);
    expect(cli.stderr()).toMatch(/Usage: npm run webhook:stripe/);
  });
});
