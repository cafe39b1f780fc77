/**
 * Diagnostic: the execution engine ours is built on, alone. The same supergraph through
 * `getStitchedSchemaFromSupergraphSdl` (batch on, no in-flight sharing), executed by graphql-js behind a
 * bare node:http handler: no Apollo Server, authentication, authorization, limits, metrics or audit.
 * What ours loses against this row is the cost of our request pipeline; what this row loses against the
 * ceiling is the engine's. Environment: BENCH_SUPERGRAPH (file), PORT (0: a free one). Prints `READY <url>`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { execute, parse, type DocumentNode } from 'graphql';

const supergraphFile = process.env['BENCH_SUPERGRAPH'];
if (!supergraphFile) throw new Error('BENCH_SUPERGRAPH is required');
const schema = getStitchedSchemaFromSupergraphSdl({ supergraphSdl: readFileSync(supergraphFile, 'utf8'), batch: true });
const documents = new Map<string, DocumentNode>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    let document = documents.get(body.query);
    if (!document) documents.set(body.query, (document = parse(body.query)));
    const result = await execute({ schema, document, variableValues: body.variables, operationName: body.operationName, contextValue: {} });
    const payload = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
});
await new Promise<void>((resolve) => server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', resolve));
const address = server.address();
process.stdout.write(`READY http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql\n`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
