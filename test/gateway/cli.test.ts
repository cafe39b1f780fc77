import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SignJWT } from 'jose';
import { loadOrCreateDevSecret } from '../../gateway/auth/dev-secret.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { adminHeaders, authorization, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET } from '../support/tokens.ts';
import { TEST_SUBGRAPH_SDL } from '../support/test-subgraph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let stack: TestGateway;
let folder: string;
/** A port nothing listens on (it was free a moment ago): connections to it are refused. */
let closedPort: number;
beforeAll(async () => {
  stack = await startTestGateway();
  folder = mkdtempSync(join(tmpdir(), 'supergraph-'));
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
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
function gateway(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/gateway.js'), ...args], {
    cwd,
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
  return { child, exited, url, stderr: () => stderr, stdout: () => stdout };
}

/** What the gateway logged (pino's JSON lines). */
function logLines(cli: { stdout(): string }): Record<string, unknown>[] {
  return cli
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * The test subgraph plus a foreign shop whose `products` shares its name with our Stripe subgraph's (public)
 * field. The shop is never reached: what is asserted is refused before any fetch.
 */
function foreignSupergraph(): string {
  const shop = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { products: [String] }';
  const composed = composeSupergraph([
    { name: 'nodes', url: stack.subgraph.url, typeDefs: parse(TEST_SUBGRAPH_SDL) },
    { name: 'shop', url: `http://127.0.0.1:${closedPort}/graphql`, typeDefs: parse(shop) },
  ]);
  if (!composed.ok) throw new Error(composed.problems.join('\n'));
  const file = join(folder, `foreign-${randomUUID()}.graphql`);
  writeFileSync(file, composed.supergraphSdl);
  return file;
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(cli: ReturnType<typeof gateway>) {
  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}

describe('gateway --supergraph FILE --port N', () => {
  it('serves any Federation v2 supergraph, not only ours, denying root fields we have no access rule for', async () => {
    const cli = gateway(['--supergraph', foreignSupergraph(), '--port', '0'], { LOG_LEVEL: 'info' });
    const url = await cli.url;

    const typename = await postGraphQL(url, '{ __typename }');
    expect(typename.body).toEqual({ data: { __typename: 'Query' } });

    // The test subgraph's fields have no rule among our providers': nobody may use them, an admin neither;
    // nor the shop's `products`, although Stripe's field of that name is public (rules go by subgraph).
    for (const query of ['{ echo(text: "x") }', '{ products }']) {
      for (const headers of [{}, await adminHeaders()]) {
        const refused = await postGraphQL(url, query, undefined, headers);
        expect(refused.status).toBe(200);
        expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
        expect(Object.values(refused.body.data ?? {}).every((value) => value === null)).toBe(true);
      }
    }
    // Start-up said so, how many, and what to do.
    const warning = logLines(cli).find((line) => line['defaultAccess'] === 'deny');
    expect(warning?.['count']).toBe(10);
    expect(warning?.['msg']).toMatch(/10 root fields without an access rule: denied to everyone.*--default-access authenticated\|public/);
    await stop(cli);
  });

  it('opens root fields without a rule to signed-in callers with --default-access authenticated, and adds nothing of ours', async () => {
    const cli = gateway(['--supergraph', foreignSupergraph(), '--port', '0', '--default-access', 'authenticated'], { LOG_LEVEL: 'info' });
    const url = await cli.url;

    const anonymous = await postGraphQL(url, '{ echo(text: "x") }');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const signedIn = await postGraphQL(url, '{ echo(text: "x") whoami }', undefined, await authorization({ sub: 'grace', scope: '' }));
    expect(signedIn.body).toEqual({ data: { echo: 'x', whoami: 'grace' } });
    // Not public as Stripe's `products` is: the default applies to the shop's.
    expect(errorCodes(await postGraphQL(url, '{ products }'))).toEqual(['UNAUTHENTICATED']);

    // No providerStatus in someone else's graph, and readiness asks no foreign subgraph for GET /health.
    const status = await postGraphQL(url, '{ providerStatus { provider } }', undefined, await adminHeaders());
    expect(errorCodes(status)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const ready = await fetch(url.replace(/\/graphql$/, '/health/ready'));
    const report = (await ready.json()) as { subgraphs: Record<string, { ok: boolean; detail?: string }>; providers: Record<string, unknown> };
    expect(report.subgraphs['nodes']?.ok).toBe(true);
    expect(report.subgraphs['shop']?.ok).toBe(false);
    // Why, in words an operator can act on (the shop's port refuses connections).
    expect(report.subgraphs['shop']?.detail).toBe('ECONNREFUSED');
    expect(report.providers).toEqual({});
    expect(logLines(cli).find((line) => line['defaultAccess'] === 'authenticated')?.['msg']).toMatch(/open to any signed-in caller/);
    await stop(cli);
  });

  it('opens them to everyone with --default-access public, and refuses a default it does not know', async () => {
    const cli = gateway(['--supergraph', foreignSupergraph(), '--port', '0', '--default-access', 'public']);
    const url = await cli.url;
    expect((await postGraphQL(url, '{ echo(text: "x") whoami }')).body).toEqual({ data: { echo: 'x', whoami: null } });
    await stop(cli);

    const typo = gateway(['--supergraph', foreignSupergraph(), '--port', '0', '--default-access', 'open']);
    expect(await typo.exited).toBe(2);
    expect(typo.stderr()).toMatch(/--default-access: "open" is not one of deny, authenticated, public/);
  });

  it('watches its --supergraph file: a new supergraph is served at once, a broken one is refused and the old one stays', async () => {
    const file = join(folder, `watched-${randomUUID()}.graphql`);
    writeFileSync(file, stack.supergraphSdl);
    const cli = gateway(['--supergraph', file, '--port', '0', '--default-access', 'public'], { LOG_LEVEL: 'info' });
    const url = await cli.url;
    expect(errorCodes(await postGraphQL(url, '{ products }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    writeFileSync(file, readFileSync(foreignSupergraph(), 'utf8'));
    await until(async () => !errorCodes(await postGraphQL(url, '{ products }')).includes('GRAPHQL_VALIDATION_FAILED'), 'the new supergraph is served');
    expect(logLines(cli).some((line) => line['msg'] === 'supergraph reloaded')).toBe(true);

    writeFileSync(file, 'type Query { broken: String }');
    await until(() => logLines(cli).some((line) => line['msg'] === 'supergraph refused: the one already served stays'), 'the broken file is refused');
    expect((await postGraphQL(url, '{ echo(text: "still") }')).body).toEqual({ data: { echo: 'still' } });
    await stop(cli);
  });

  it('polls a --supergraph-url with its ETag and the given headers, and serves what changed', async () => {
    let served = stack.supergraphSdl;
    const seen = { full: 0, notModified: 0, refused: 0 };
    const registry = createServer((request, response) => {
      if (request.headers['x-hive-cdn-key'] !== 'secret-key') {
        seen.refused += 1;
        response.writeHead(403).end();
        return;
      }
      const etag = `"${createHash('sha256').update(served).digest('hex').slice(0, 16)}"`;
      if (request.headers['if-none-match'] === etag) {
        seen.notModified += 1;
        response.writeHead(304).end();
        return;
      }
      seen.full += 1;
      response.writeHead(200, { etag, 'content-type': 'text/plain' }).end(served);
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const supergraphUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/supergraph`;
      const cli = gateway(['--supergraph-url', supergraphUrl, '--supergraph-header', 'X-Hive-CDN-Key: secret-key', '--poll-interval', '1', '--port', '0', '--default-access', 'public'], { LOG_LEVEL: 'info' });
      const url = await cli.url;
      expect((await postGraphQL(url, '{ echo(text: "v1") }')).body).toEqual({ data: { echo: 'v1' } });
      await until(() => seen.notModified >= 1, 'a poll is answered 304');
      expect(seen.full).toBe(1);

      served = readFileSync(foreignSupergraph(), 'utf8');
      await until(async () => !errorCodes(await postGraphQL(url, '{ products }')).includes('GRAPHQL_VALIDATION_FAILED'), 'the new supergraph is served');
      expect(seen.full).toBe(2);
      expect(seen.refused).toBe(0);
      await stop(cli);
    } finally {
      await new Promise<void>((resolve) => registry.close(() => resolve()));
    }
  });

  it('refuses a file that is not a supergraph, naming it', async () => {
    const cli = gateway(['--supergraph', 'schema/s3.graphql', '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/schema\/s3\.graphql: not a Federation v2 supergraph/);
  });

  it('refuses a trusted documents manifest it cannot read, before it starts anything', async () => {
    const cli = gateway(['--supergraph', foreignSupergraph(), '--port', '0', '--persisted-documents', join(folder, 'missing.json'), '--persisted-documents-only']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/GATEWAY_PERSISTED_DOCUMENTS: .*missing\.json: ENOENT/);
  });

  it('needs no SUBGRAPH_SECRET for a graph without a subgraph of ours, and requires it, naming them, for one with', async () => {
    // A foreign subgraph that verifies nothing: plain Apollo Federation, as a user's own would be.
    const shop = new ApolloServer<{ tenant?: string }>({
      schema: buildSubgraphSchema([
        {
          typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { greeting: String }'),
          resolvers: { Query: { greeting: (_: unknown, __: unknown, { tenant }: { tenant?: string }) => (tenant ? `hello ${tenant}` : 'hello') } },
        },
      ]),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const { url: shopUrl } = await startStandaloneServer(shop, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => (typeof req.headers['x-tenant-id'] === 'string' ? { tenant: req.headers['x-tenant-id'] } : {}),
    });
    try {
      const composed = composeSupergraph([{ name: 'shop', url: shopUrl, typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { greeting: String }') }]);
      if (!composed.ok) throw new Error(composed.problems.join('\n'));
      const file = join(folder, `shop-${randomUUID()}.graphql`);
      writeFileSync(file, composed.supergraphSdl);
      // In production too: nothing in this graph verifies a signature.
      const cli = gateway(['--supergraph', file, '--port', '0', '--default-access', 'public', '--forward-header', 'x-tenant-id'], { SUBGRAPH_SECRET: '', LOG_LEVEL: 'info', NODE_ENV: 'production' });
      const url = await cli.url;
      expect((await postGraphQL(url, '{ greeting }')).body).toEqual({ data: { greeting: 'hello' } });
      // A header named with --forward-header reaches the subgraph.
      expect((await postGraphQL(url, '{ greeting }', undefined, { 'x-tenant-id': 'acme' })).body).toEqual({ data: { greeting: 'hello acme' } });

      // A reload that would bring one of our subgraphs is refused, saying why; the shop stays served.
      writeFileSync(file, readFileSync('schema/supergraph.graphql', 'utf8'));
      await until(() => logLines(cli).some((line) => line['msg'] === 'supergraph refused: the one already served stays'), 'the reload is refused');
      const refusal = logLines(cli).find((line) => line['msg'] === 'supergraph refused: the one already served stays');
      expect(JSON.stringify(refusal)).toMatch(/SUBGRAPH_SECRET: required \(subgraphs [^)]*stripe[^)]* are this project's/);
      expect((await postGraphQL(url, '{ greeting }')).body).toEqual({ data: { greeting: 'hello' } });
      await stop(cli);
    } finally {
      await shop.stop();
    }

    const ours = gateway(['--supergraph', 'schema/supergraph.graphql', '--port', '0'], { SUBGRAPH_SECRET: '' });
    expect(await ours.exited).toBe(1);
    expect(ours.stderr()).toMatch(/SUBGRAPH_SECRET: required \(subgraphs [^)]*stripe[^)]* are this project's/);
  });

  it('accepts development tokens from npm run token wherever it is started from (the secret is in the project folder)', async () => {
    const devToken = await new SignJWT({ scope: '' }).setProtectedHeader({ alg: 'HS256' }).setSubject('ada').setExpirationTime('5m').sign(loadOrCreateDevSecret());
    const cli = gateway(['--supergraph', foreignSupergraph(), '--port', '0', '--default-access', 'authenticated'], { JWT_SECRET: '' }, folder);
    const url = await cli.url;
    expect((await postGraphQL(url, '{ whoami }', undefined, { authorization: `Bearer ${devToken}` })).body).toEqual({ data: { whoami: 'ada' } });
    await stop(cli);
  });

  it('says once, plainly, that its port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const taken = String((holder.address() as AddressInfo).port);
      const cli = gateway(['--supergraph', foreignSupergraph(), '--host', '127.0.0.1', '--port', taken]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toMatch(new RegExp(`the gateway: cannot listen on 127\\.0\\.0\\.1:${taken}: the port is in use`));
      // Not also graphql-ws's "Internal error emitted on the WebSocket server" with a stack trace.
      expect(cli.stderr() + cli.stdout()).not.toMatch(/Internal error emitted|EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('explains its usage when the supergraph is missing', async () => {
    const cli = gateway([]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/usage: gateway \(--supergraph FILE \| --supergraph-url URL\)/);
  });
});
