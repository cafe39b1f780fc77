/**
 * Runs the Guild's federation gateway audit (vendored in ./suites, see README.md) against our gateway, as the
 * audit itself does it by hand (docs/federation-audit/run.sh): each suite's subgraphs served over HTTP, composed
 * with @apollo/composition into the supergraph the audit hands gateways, our gateway started on it as
 * `gateway --supergraph FILE --default-access public` starts it, and every test judged by the audit's rule.
 */
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { deepStrictEqual } from 'node:assert';
import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import { providers } from '../../app/providers.ts';
import { rulesForOwnSubgraphs } from '../../gateway/authorize/own-subgraph-rules.ts';
import { gatewayConfigSchema } from '../../gateway/config.ts';
import { gatewayOptionsFromConfig } from '../../gateway/options-from-config.ts';
import { startGateway } from '../../gateway/server.ts';
import { createAuditLog } from '../../kit/access/audit-log.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { readConfig } from '../../kit/config.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMetrics } from '../../kit/metrics.ts';
import { TEST_JWT_SECRET, testPrincipalTokens } from '../support/tokens.ts';
import type { AuditSubgraph } from './suites/subgraph.ts';
import type { AuditSuite, AuditTest } from './suites/supergraph.ts';

const SUITES_DIR = new URL('./suites/test-suites/', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isAuditSubgraph(value: unknown): value is AuditSubgraph {
  return isRecord(value) && typeof value['name'] === 'string' && typeof value['typeDefs'] === 'string' && isRecord(value['resolvers']);
}

function isAuditSuite(value: unknown): value is AuditSuite {
  if (!isRecord(value) || typeof value['id'] !== 'string') return false;
  const { subgraphs, tests } = value;
  return Array.isArray(subgraphs) && subgraphs.every(isAuditSubgraph) && (Array.isArray(tests) || typeof tests === 'function');
}

function isAuditTest(value: unknown): value is AuditTest {
  return isRecord(value) && typeof value['query'] === 'string' && isRecord(value['expected']);
}

/** A suite with its tests listed, as the audit's `/<suite>/tests` endpoint lists them. */
export interface LoadedSuite {
  readonly id: string;
  readonly subgraphs: readonly AuditSubgraph[];
  readonly tests: readonly AuditTest[];
}

/**
 * Every vendored suite (each folder's index.ts), sorted by id as the audit sorts them. Imported by path rather
 * than by name, so that tsc does not follow into the vendored files (excluded from typecheck, see tsconfig.json):
 * what they export is checked here instead.
 */
export async function loadAuditSuites(): Promise<LoadedSuite[]> {
  const folders = readdirSync(SUITES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const suites = await Promise.all(
    folders.map(async (folder): Promise<LoadedSuite> => {
      const module: unknown = await import(new URL(`${folder}/index.ts`, SUITES_DIR).href);
      const suite = isRecord(module) ? module['default'] : undefined;
      if (!isAuditSuite(suite)) throw new Error(`suites/test-suites/${folder}/index.ts does not export a suite made by serve(id, subgraphs, tests)`);
      if (suite.id !== folder) throw new Error(`suites/test-suites/${folder}/index.ts is suite "${suite.id}": the folder and the id must match`);
      const names = suite.subgraphs.map((subgraph) => subgraph.name);
      if (new Set(names).size !== names.length) throw new Error(`suite ${suite.id}: duplicate subgraph names in ${names.join(', ')}`);
      const tests: unknown = typeof suite.tests === 'function' ? suite.tests() : suite.tests;
      if (!Array.isArray(tests) || !tests.every(isAuditTest)) throw new Error(`suite ${suite.id}: tests are not createTest(query, expected) results`);
      return { id: suite.id, subgraphs: suite.subgraphs, tests };
    }),
  );
  return suites.sort((a, b) => a.id.localeCompare(b.id));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * One subgraph on a free port: graphql-js executing its buildSubgraphSchema schema, errors unmasked (the audit
 * serves it with graphql-yoga and `maskedErrors: false`). A plain node:http server starts at once, where an
 * Apollo Server per subgraph (119 of them) would add seconds to every run.
 */
async function serveSubgraph(schema: GraphQLSchema): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return answer(405, { errors: [{ message: 'POST a GraphQL request' }] });
    readBody(request)
      .then(async (text) => {
        const params: unknown = JSON.parse(text);
        if (!isRecord(params) || typeof params['query'] !== 'string') return answer(400, { errors: [{ message: 'no query' }] });
        const variables = params['variables'];
        const operationName = params['operationName'];
        const result = await graphql({
          schema,
          source: params['query'],
          variableValues: isRecord(variables) ? variables : undefined,
          operationName: typeof operationName === 'string' ? operationName : undefined,
          contextValue: {},
        });
        answer(200, result);
      })
      .catch((error: unknown) => answer(400, { errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections from the gateway would hold close() open until they time out.
    server.closeAllConnections();
  });
}

/** The supergraph the audit hands gateways for this suite (its getSupergraph): @apollo/composition's. */
export function composeAuditSupergraph(suite: LoadedSuite, urls: ReadonlyMap<string, string>): string {
  const result = composeServices(suite.subgraphs.map((subgraph) => ({ name: subgraph.name, typeDefs: parse(subgraph.typeDefs), url: urls.get(subgraph.name) })));
  if (result.errors) throw new Error(`suite ${suite.id} does not compose:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}

export interface RunningSuite {
  /** Our gateway's GraphQL endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A suite's subgraphs and our gateway in front of them. The gateway gets what `bin/gateway.ts` gives it for
 * `--supergraph FILE --default-access public` in an environment without variables (the hand-run audit's):
 * options from the configuration's defaults (a JWT secret of the tests' own instead of a development secret
 * written to disk), our providers' rules on subgraphs bearing their names (none here), public elsewhere.
 */
export async function startAuditSuite(suite: LoadedSuite): Promise<RunningSuite> {
  const servers: Server[] = [];
  const closeSubgraphs = () => Promise.all(servers.splice(0).map(closeServer));
  try {
    const urls = new Map<string, string>();
    for (const subgraph of suite.subgraphs) {
      // The audit's resolver maps are written for buildSubgraphSchema; it checks them as it builds.
      const schema = buildSubgraphSchema({ typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers as GraphQLResolverMap<unknown> });
      const served = await serveSubgraph(schema);
      servers.push(served.server);
      urls.set(subgraph.name, served.url);
    }
    const supergraphSdl = composeAuditSupergraph(suite, urls);
    const config = readConfig(gatewayConfigSchema, { JWT_SECRET: TEST_JWT_SECRET });
    const logger = createLogger({ level: 'silent', name: `audit ${suite.id}` });
    const cacheStore = createMemoryCacheStore();
    const audit = createAuditLog({ logger });
    const gateway = await startGateway({
      supergraphSdl,
      host: '127.0.0.1',
      port: 0,
      logger,
      cacheStore,
      tokens: testPrincipalTokens(),
      audit,
      // Without the process-wide default metrics (event loop monitors): 46 gateways share this process.
      metrics: createMetrics(),
      accessRules: (supergraph) => rulesForOwnSubgraphs(supergraph, providers),
      ignoreRulesForMissingFields: true,
      defaultAccess: 'public',
      providerSubgraphs: providers.map((provider) => provider.name),
      ...gatewayOptionsFromConfig(config),
    }).catch(async (error: unknown) => {
      await cacheStore.close();
      throw error;
    });
    return {
      url: gateway.url,
      async close() {
        try {
          await gateway.close();
          await cacheStore.close();
          await audit.close();
        } finally {
          await closeSubgraphs();
        }
      },
    };
  } catch (error) {
    await closeSubgraphs();
    throw error;
  }
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: readonly unknown[];
}

/** Sends a test's query as the audit's src/test.ts does (a 10 s limit included) and returns the JSON answer. */
export async function sendAuditQuery(url: string, query: string): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const answer: unknown = await response.json();
  if (!isRecord(answer)) throw new Error(`${url} answered ${response.status} with ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * The audit's verdict (src/test.ts): `data` deep-equal (absent counts as null), and whether there are errors
 * only when the test says whether to expect them. Throws node:assert's AssertionError when the test fails.
 */
export function assertAuditVerdict(test: AuditTest, answer: GraphQLAnswer): void {
  const errorsOptional = typeof test.expected.errors !== 'boolean';
  const received = { data: answer.data ?? null, errors: errorsOptional ? null : Boolean(answer.errors?.length) };
  const expected = { data: test.expected.data ?? null, errors: errorsOptional ? null : (test.expected.errors ?? false) };
  deepStrictEqual(received, expected, `Test failed for query\n${test.query}\nexpected: ${JSON.stringify(expected)}\nreceived: ${JSON.stringify(received)}\nanswer:   ${JSON.stringify(answer)}`);
}
