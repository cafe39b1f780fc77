/**
 * Serves the four benchmark subgraphs in one process, each on its own port, with plain node:http and
 * graphql-js: parsed and validated documents are cached by their text, so a subgraph costs one `execute`
 * and one JSON.stringify per request and is never what limits a gateway here.
 *
 * Environment: BENCH_SUBGRAPH_PORT_<NAME> (default: a free port), BENCH_SUBGRAPH_DELAY_MS (default 0: a
 * delay before every response, as a slower service would add). `GET /stats` answers the number of
 * requests each subgraph has served, and how many of them carried a caller (see CALLER_HEADERS).
 * Prints `READY {"accounts":"http://…",…}`.
 *
 * The subgraphs never check who calls: the caller headers the gateways forward (the client's `authorization`,
 * or ours' signed `x-gateway-principal`) are accepted, counted and otherwise ignored.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { benchSubgraphs, type BenchSubgraph } from './schemas.ts';

const HOST = '127.0.0.1';
const DELAY_MS = Number(process.env['BENCH_SUBGRAPH_DELAY_MS'] ?? 0);
const MAX_CACHED_DOCUMENTS = 1000;

interface Body {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown) {
  const body = JSON.stringify(payload);
  const write = () => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (DELAY_MS > 0) setTimeout(write, DELAY_MS);
  else write();
}

/** Headers that carry the caller to a subgraph: the client's bearer token as forwarded by the peers, or ours' signed principal. */
const CALLER_HEADERS = ['authorization', 'x-gateway-principal'] as const;

/** What `GET /stats` answers, on any subgraph's port. */
export interface SubgraphStats {
  /** GraphQL requests served, per subgraph. */
  served: Record<string, number>;
  /** Of all of them, those that carried a caller header. */
  withCaller: number;
}

const stats: SubgraphStats = { served: {}, withCaller: 0 };
const served = stats.served;

function handler(name: string, schema: GraphQLSchema) {
  served[name] = 0;
  const documents = new Map<string, DocumentNode | readonly Error[]>();
  const documentFor = (query: string) => {
    let cached = documents.get(query);
    if (!cached) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        cached = errors.length > 0 ? errors : document;
      } catch (error) {
        cached = [error as Error];
      }
      if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
      documents.set(query, cached);
    }
    return cached;
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(stats));
    }
    if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'POST only' }] });
    served[name]!++;
    if (CALLER_HEADERS.some((header) => req.headers[header])) stats.withCaller++;
    let body: Body;
    try {
      body = JSON.parse(await readBody(req)) as Body;
    } catch {
      return send(res, 400, { errors: [{ message: 'invalid JSON' }] });
    }
    if (typeof body.query !== 'string') return send(res, 400, { errors: [{ message: 'no query' }] });
    const document = documentFor(body.query);
    if (Array.isArray(document)) return send(res, 400, { errors: document.map((e) => ({ message: e.message })) });
    const result = await execute({ schema, document: document as DocumentNode, variableValues: body.variables ?? null, operationName: body.operationName ?? null });
    send(res, 200, result);
  };
}

async function serve(subgraph: BenchSubgraph): Promise<string> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers as never }]);
  const server = createServer(handler(subgraph.name, schema));
  // Longer than any gateway's idle pool, so that a kept-alive connection is never closed under it.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  const port = Number(process.env[`BENCH_SUBGRAPH_PORT_${subgraph.name.toUpperCase()}`] ?? 0);
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return `http://${HOST}:${(server.address() as AddressInfo).port}/graphql`;
}

const urls = Object.fromEntries(await Promise.all(benchSubgraphs.map(async (s) => [s.name, await serve(s)] as const)));
process.stdout.write(`READY ${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
