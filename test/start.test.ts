import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { postGraphQL } from './support/graphql-client.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

/** The environment a user runs `npm start` (and `npm run token`) in. */
function userEnv(env: Record<string, string> = {}) {
  // NODE_ENV as a user has it: Apollo Server behaves differently under "test" (its own signal handlers).
  return { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DATABASE_DIR: 'memory://', ...env };
}

/** `npm run token`'s entry, as a user runs it next to a running `npm start`: a token that gateway accepts. */
async function token(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/token.ts', ...args], { cwd: ROOT, env: userEnv(), timeout: 20_000 });
  return stdout.trim();
}

/** `npm start`'s entry in a child process, as a user runs it (its TypeScript loader), on free ports. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', './bin/load-typescript.js', 'bin/start.ts'], {
    cwd: ROOT,
    env: userEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const gatewayUrl = new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /(http:\/\/\S+\/graphql)/.exec(stdout);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`exited with ${code} before printing its URL:\n${stderr}`)));
  });
  gatewayUrl.catch(() => {}); // tests of failed start-ups never read it
  return { child, exited, gatewayUrl, output: () => ({ stdout, stderr }) };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts offline, becomes ready, answers through the gateway, and stops within 5 s of SIGTERM', async () => {
    const app = start({});
    const url = await app.gatewayUrl;
    const { stdout } = app.output();
    expect(stdout).toMatch(/Subgraph s3\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(stdout).toMatch(/Emulator s3\s+http:\/\/127\.0\.0\.1:\d+/);

    const ready = await fetch(url.replace(/\/graphql$/, '/health/ready'));
    expect(ready.status).toBe(200);
    const authorization = `Bearer ${await token('--sub', 'start-test', '--scopes', 'admin')}`;
    const response = await postGraphQL(url, '{ buckets { name objects(first: 2) { nodes { key contentType } } } }', undefined, { authorization });
    expect(response.body.errors).toBeUndefined();
    expect((response.body.data as { buckets: { name: string }[] }).buckets.map((b) => b.name)).toEqual(['acme-assets', 'acme-customer-files']);

    const stopping = Date.now();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
  });

  it.each([
    ['PORT', { PORT: 'abc' }, /PORT: expected a whole number/],
    ['REDIS_URL (not a URL)', { REDIS_URL: 'localhost:6379' }, /REDIS_URL: expected a URL/],
    ['REDIS_URL (unreachable)', { REDIS_URL: 'redis://127.0.0.1:1' }, /REDIS_URL: cannot connect/],
    ['every invalid variable at once, LOG_LEVEL included', { LOG_LEVEL: 'loud', PORT: 'abc' }, /LOG_LEVEL: [\s\S]*PORT: |PORT: [\s\S]*LOG_LEVEL: /],
  ])('stops at start-up with a message naming %s', async (_name, env, message) => {
    const app = start(env);
    expect(await app.exited).toBe(1);
    expect(app.output().stderr).toMatch(message);
  });
});
