import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app/start-app.ts';
import { createLogger } from '../kit/logger.ts';
import { errorCodes, postGraphQL } from './support/graphql-client.ts';
import { TEST_JWT_SECRET } from './support/tokens.ts';

/** `npm start` in development, watching a copy of schema/ (the repository's own files are never touched). */
let folder: string;
let app: RunningApp;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'schema-'));
  cpSync(new URL('../schema/', import.meta.url), folder, { recursive: true });
  app = await startApp({
    env: { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, DATABASE_DIR: 'memory://' },
    logger: createLogger({ level: 'silent', name: 'schema-watch' }),
    watchSchema: true,
    schemaFolder: pathToFileURL(`${folder}/`),
  });
});
afterAll(async () => {
  await app?.close();
  rmSync(folder, { recursive: true, force: true });
});

const QUERY = '{ products(first: 1) { nodes { name devNote } } }';

async function until(condition: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('editing schema/*.graphql while npm start runs (development)', () => {
  it('recomposes, restarts the subgraph whose SDL changed, and the gateway serves the new field', async () => {
    expect(errorCodes(await postGraphQL(app.gateway.url, QUERY))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const file = join(folder, 'stripe.graphql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^type Product (.*)\{$/m, (line) => `${line}\n  "Added while npm start runs: null until it has a resolver."\n  devNote: String`));
    await until(async () => !errorCodes(await postGraphQL(app.gateway.url, QUERY)).includes('GRAPHQL_VALIDATION_FAILED'), 'the new field is served');
    const answer = await postGraphQL<{ products: { nodes: { name: string; devNote: null }[] } }>(app.gateway.url, QUERY);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.products.nodes[0]).toEqual({ name: expect.any(String), devNote: null });
  });

  it('keeps serving what it has when an edit does not compose', async () => {
    const file = join(folder, 'github.graphql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\ntype Broken {`);
    // Longer than the watcher's poll and a recomposition: the broken file has been seen by then.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const answer = await postGraphQL(app.gateway.url, '{ githubUser(login: "adaokafor") { login } }');
    expect(answer.body).toEqual({ data: { githubUser: { login: 'adaokafor' } } });
  });
});
