import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { adminHeaders, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET } from '../support/tokens.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let stack: TestGateway;
let folder: string;
beforeAll(async () => {
  stack = await startTestGateway();
  folder = mkdtempSync(join(tmpdir(), 'supergraph-'));
});
afterAll(async () => {
  await stack?.close();
  rmSync(folder, { recursive: true, force: true });
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * The `gateway` executable in a child process. The test subgraph verifies the gateway's signature with
 * TEST_SUBGRAPH_SECRET, and tokens signed with TEST_JWT_SECRET are accepted.
 */
function gateway(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['bin/gateway.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, JWT_SECRET: TEST_JWT_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Registered now, so that an exit is never missed, however early it happens.
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Its URL once it logs "gateway ready"; rejects as soon as it exits instead, with what it said. */
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const ready = stdout.split('\n').find((line) => line.includes('"gateway ready"'));
      if (ready) resolve((JSON.parse(ready) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code} before it was ready:\n${stderr}`)));
  });
  url.catch(() => {}); // tests of failed start-ups never read it
  return { child, exited, url, stderr: () => stderr };
}

describe('gateway --supergraph FILE --port N', () => {
  it('serves any Federation v2 supergraph, not only ours, denying root fields we have no access rule for', async () => {
    const file = join(folder, 'supergraph.graphql');
    writeFileSync(file, stack.supergraphSdl);
    const cli = gateway(['--supergraph', file, '--port', '0'], { LOG_LEVEL: 'info' });
    const url = await cli.url;

    const typename = await postGraphQL(url, '{ __typename }');
    expect(typename.body).toEqual({ data: { __typename: 'Query' } });

    // The test subgraph's fields have no rule among our providers': nobody may use them, an admin neither.
    for (const headers of [{}, await adminHeaders()]) {
      const echo = await postGraphQL(url, '{ echo(text: "x") }', undefined, headers);
      expect(echo.status).toBe(200);
      expect(errorCodes(echo)).toEqual(['FORBIDDEN']);
      expect(echo.body.data ?? null).toBeNull();
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('refuses a file that is not a supergraph, naming it', async () => {
    const cli = gateway(['--supergraph', 'schema/s3.graphql', '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/schema\/s3\.graphql: not a Federation v2 supergraph/);
  });

  it('requires SUBGRAPH_SECRET, naming it', async () => {
    const file = join(folder, 'supergraph-without-secret.graphql');
    writeFileSync(file, stack.supergraphSdl);
    const cli = gateway(['--supergraph', file, '--port', '0'], { SUBGRAPH_SECRET: '' });
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/SUBGRAPH_SECRET: required/);
  });

  it('explains its usage when the supergraph is missing', async () => {
    const cli = gateway([]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/usage: gateway --supergraph FILE/);
  });
});
