import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

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

describe('gateway --supergraph FILE --port N', () => {
  it('serves any Federation v2 supergraph, not only ours', async () => {
    const file = join(folder, 'supergraph.graphql');
    writeFileSync(file, stack.supergraphSdl);
    const child = spawn(process.execPath, ['bin/gateway.js', '--supergraph', file, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const ready = out.split('\n').find((line) => line.includes('"gateway ready"'));
          if (ready) resolve((JSON.parse(ready) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
      });
      const response = await postGraphQL(url, '{ echo(text: "any supergraph") }');
      expect(response.body).toEqual({ data: { echo: 'any supergraph' } });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a file that is not a supergraph, naming it', async () => {
    const child = spawn(process.execPath, ['bin/gateway.js', '--supergraph', 'schema/s3.graphql', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/schema\/s3\.graphql: not a Federation v2 supergraph/);
  });

  it('explains its usage when the supergraph is missing', async () => {
    const child = spawn(process.execPath, ['bin/gateway.js'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/usage: gateway --supergraph FILE/);
  });
});
