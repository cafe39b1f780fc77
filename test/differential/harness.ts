/**
 * Differential harness: one case = a few Federation v2 subgraphs and the operations to send. Each case
 * starts its subgraphs twice (fresh state per copy, so a mutation through one gateway is never seen
 * through the other), composes them once with @theguild/federation-composition, and puts @apollo/gateway
 * (the reference) in front of one copy and our gateway in front of the other. Every operation is then sent
 * to both over HTTP, and the answers must have deep-equal `data` and the same set of error paths (messages
 * may differ). Where Apollo's answer is demonstrably not correct GraphQL, the operation says so and what the
 * correct answer is (`apolloDeviation`); nothing else is normalized.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { Kind, parse, type GraphQLScalarType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../gateway/server.ts';
import { publicAccess, type AccessRule, type AccessRules } from '../../kit/access/access.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createLogger } from '../../kit/logger.ts';
import { testAuthenticate, testPrincipalTokens } from '../support/tokens.ts';

export type Obj = Readonly<Record<string, unknown>>;
/** Method syntax keeps parameters bivariant, so each resolver may name the parent and argument shapes it reads. */
interface ResolverShape {
  resolve(parent: Obj, args: Obj): unknown;
}
export type Resolver = ResolverShape['resolve'];
/** Per type its field resolvers, or a custom scalar's implementation (under the scalar's name). */
export type Resolvers = Readonly<Record<string, Readonly<Record<string, Resolver>> | GraphQLScalarType>>;

export interface SubgraphSpec {
  /** Lower case: the key of `subgraphUrls`. */
  name: string;
  /** The full subgraph SDL, `@link` to federation v2.3 included (see `fed`). */
  typeDefs: string;
  resolvers: Resolvers;
  /** Composed into the supergraph but served nowhere: every request to it is refused. */
  down?: boolean;
}

export type ResponsePath = readonly (string | number)[];

/**
 * Where @apollo/gateway's answer is not the correct one (checked against the GraphQL spec, with the reason
 * written down): ours is compared with `data`/`errorPaths` given here instead of Apollo's, and Apollo's answer
 * must still differ from them, so that the override is dropped (the test fails) once Apollo is fixed.
 * Everything not overridden is still compared with Apollo.
 */
export interface ApolloDeviation {
  why: string;
  /** The correct `data`, when Apollo's is wrong. */
  data?: unknown;
  /** The correct error paths (`null`: an error without one), when Apollo's are wrong. */
  errorPaths?: readonly (ResponsePath | null)[];
}

export interface DiffOperation {
  name: string;
  query: string;
  variables?: Readonly<Record<string, unknown>>;
  operationName?: string;
  /**
   * Whether the correct answer (Apollo's, or the deviation's) carries errors. Checked after the comparison:
   * it keeps the corpus honest (a case that errors everywhere would compare equal and prove nothing).
   */
  errors?: boolean;
  apolloDeviation?: ApolloDeviation;
  /**
   * Where our engine is known to answer wrongly (none today): the test runs as `it.fails`, so it still asserts
   * the defect and turns red, to be un-marked, the moment the engine answers correctly.
   */
  knownDefect?: string;
}

export interface DifferentialCase {
  name: string;
  /** Called once per gateway: subgraphs with state must create it here. */
  subgraphs(): SubgraphSpec[];
  operations: readonly DiffOperation[];
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: readonly { message?: unknown; path?: unknown }[];
}

/** Nothing listens on port 1: a connection there is refused at once, whoever else runs on this machine. */
export const DOWN_URL = 'http://127.0.0.1:1/graphql';

const FEDERATION_V2_3 = 'https://specs.apollo.dev/federation/v2.3';

/** A subgraph SDL: the federation v2.3 `@link` importing `imports`, then `body`. */
export function fed(imports: readonly string[], body: string): string {
  return `extend schema @link(url: "${FEDERATION_V2_3}", import: [${imports.map((name) => JSON.stringify(name)).join(', ')}])\n${body}`;
}

/** Every root field of the supergraph's API schema (fields marked `@inaccessible` are not in it), public. */
export function publicRootFields(supergraphSdl: string): AccessRules {
  const rules: Record<string, Record<string, AccessRule>> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeName = definition.name.value;
    if (typeName !== 'Query' && typeName !== 'Mutation' && typeName !== 'Subscription') continue;
    for (const field of definition.fields ?? []) {
      if (field.directives?.some((directive) => directive.name.value === 'inaccessible')) continue;
      (rules[typeName] ??= {})[field.name.value] = publicAccess;
    }
  }
  return rules;
}

/** The comparable part of an answer's errors: each path as JSON (`null` without one), sorted, without repeats. */
export function errorPaths(answer: GraphQLAnswer): string[] {
  return comparablePaths((answer.errors ?? []).map((error) => error.path ?? null));
}

function comparablePaths(paths: readonly unknown[]): string[] {
  return [...new Set(paths.map((path) => JSON.stringify(path)))].sort();
}

async function post(url: string, operation: DiffOperation): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: operation.query, variables: operation.variables ?? {}, ...(operation.operationName ? { operationName: operation.operationName } : {}) }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLAnswer;
  } catch {
    throw new Error(`${url} answered ${response.status} with something other than JSON: ${text.slice(0, 500)}`);
  }
}

interface Closer {
  what: string;
  close(): Promise<void>;
}

/** Serves each subgraph of one copy on its own free port; `down` ones get DOWN_URL. */
async function serveSubgraphs(specs: readonly SubgraphSpec[], closers: Closer[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  await Promise.all(
    specs.map(async (spec) => {
      if (spec.down) {
        urls.set(spec.name, DOWN_URL);
        return;
      }
      const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(spec.typeDefs), resolvers: spec.resolvers }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
      const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
      closers.push({ what: `subgraph ${spec.name}`, close: () => server.stop() });
      urls.set(spec.name, url);
    }),
  );
  return urls;
}

const silentApolloLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface CaseStack {
  apolloUrl: string;
  oursUrl: string;
}

async function startCase(testCase: DifferentialCase, closers: Closer[]): Promise<CaseStack> {
  const forApollo = testCase.subgraphs();
  const forOurs = testCase.subgraphs();
  const [apolloSubgraphs, oursSubgraphs] = await Promise.all([serveSubgraphs(forApollo, closers), serveSubgraphs(forOurs, closers)]);

  // One supergraph for both, naming the reference copy's URLs; ours is pointed at its own copy by subgraphUrls.
  const composed = composeServices(forApollo.map((spec) => ({ name: spec.name, url: apolloSubgraphs.get(spec.name) ?? DOWN_URL, typeDefs: parse(spec.typeDefs) })));
  if (composed.errors) throw new Error(`case "${testCase.name}" does not compose:\n${composed.errors.map((error) => error.message).join('\n')}`);
  const supergraphSdl = composed.supergraphSdl;

  const apolloGateway = new ApolloGateway({ supergraphSdl, logger: silentApolloLogger });
  const apolloServer = new ApolloServer({ gateway: apolloGateway });
  const cacheStore = createMemoryCacheStore();
  const [apollo, ours] = await Promise.all([
    startStandaloneServer(apolloServer, { listen: { host: '127.0.0.1', port: 0 } }).then((started) => {
      closers.push({ what: '@apollo/gateway', close: () => apolloServer.stop() });
      return started;
    }),
    startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(oursSubgraphs),
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent', name: 'differential' }),
      cacheStore,
      production: false,
      authenticate: testAuthenticate(),
      tokens: testPrincipalTokens(),
      accessRules: publicRootFields(supergraphSdl),
    }).then((gateway) => {
      closers.push({
        what: 'our gateway',
        close: async () => {
          await gateway.close();
          await cacheStore.close();
        },
      });
      return gateway;
    }),
  ]);
  return { apolloUrl: apollo.url, oursUrl: ours.url };
}

/** Closes gateways before subgraphs (the reverse of start order), every one even when another fails. */
async function closeAll(closers: Closer[]): Promise<void> {
  const failures: string[] = [];
  for (const closer of closers.splice(0).reverse()) {
    try {
      await closer.close();
    } catch (error) {
      failures.push(`${closer.what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(`could not close: ${failures.join('; ')}`);
}

/** One `describe` per case, its servers started once; one `it` per operation, named `<case>: <operation>`. */
export function differentialCase(testCase: DifferentialCase): void {
  describe(testCase.name, () => {
    const closers: Closer[] = [];
    let stack: CaseStack | undefined;
    beforeAll(async () => {
      stack = await startCase(testCase, closers);
    });
    afterAll(() => closeAll(closers));

    for (const operation of testCase.operations) {
      (operation.knownDefect ? it.fails : it)(`${testCase.name}: ${operation.name}`, async () => {
        if (!stack) throw new Error(`case "${testCase.name}" did not start`);
        const [ours, apollo] = await Promise.all([post(stack.oursUrl, operation), post(stack.apolloUrl, operation)]);
        const both = `\nours:   ${JSON.stringify(ours)}\napollo: ${JSON.stringify(apollo)}`;
        const deviation = operation.apolloDeviation;
        const correctData = deviation && 'data' in deviation ? deviation.data : apollo.data;
        const correctPaths = deviation?.errorPaths ? comparablePaths(deviation.errorPaths) : errorPaths(apollo);
        expect(ours.data, `data differs${both}`).toEqual(correctData);
        expect(errorPaths(ours), `error paths differ${both}`).toEqual(correctPaths);
        // The corpus's own claims about the reference: whether it errs, and where Apollo is known to be wrong.
        expect(correctPaths.length > 0, `the correct answer ${operation.errors ? 'was expected to carry errors' : 'carries errors'}${both}`).toBe(operation.errors ?? false);
        if (deviation && 'data' in deviation) expect(apollo.data, `@apollo/gateway's data is now correct: drop the override (${deviation.why})`).not.toEqual(deviation.data);
        if (deviation?.errorPaths) expect(errorPaths(apollo), `@apollo/gateway's error paths are now correct: drop the override (${deviation.why})`).not.toEqual(correctPaths);
      });
    }
  });
}
