/**
 * Peer: Hive Gateway (@graphql-hive/gateway's runtime) served by node:http, on the benchmark's supergraph.
 * `--router-runtime` plugs in @graphql-hive/router-runtime: Hive Router's Rust query planner (a native
 * addon) and its executor, as the Hive Gateway docs describe (`unifiedGraphHandler`).
 *
 * The client's `authorization` header is forwarded to every subgraph request (`propagateHeaders.
 * fromClientToSubgraphs`), as a deployment whose subgraphs need the caller would.
 *
 * Hive Gateway de-duplicates identical in-flight subgraph requests by default (@graphql-tools/executor-http's
 * `deduplicateInflightRequests`, left on). Its key (executor-http 3.4, `handleInflightRequest`) is
 * `url|method|body`, plus `|JSON.stringify(headers)` whenever the request has headers of its own: headers
 * from the transport options, or `executionRequest.extensions.headers`, which is where `propagateHeaders`
 * puts the forwarded ones (in `onSubgraphExecute`, before the executor runs). So the forwarded
 * `authorization` is part of the key: one caller's identical operations still share subgraph requests,
 * distinct callers' never do. (The de-duplication of the gateway's own incoming requests,
 * `inboundInflightRequestDeduplication`, is off by default, and left off.)
 * Plain JavaScript (see run-apollo.mjs).
 * Environment: BENCH_SUPERGRAPH (file), PORT (0: a free one). Prints `READY <url>`; stops on SIGTERM.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const routerRuntime = process.argv.includes('--router-runtime');
const gateway = createGatewayRuntime({
  supergraph: readFileSync(process.env.BENCH_SUPERGRAPH, 'utf8'),
  logging: 'error',
  landingPage: false,
  graphiql: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
  ...(routerRuntime ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {}),
});
const server = createServer(gateway);
await new Promise((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
process.stdout.write(`READY http://127.0.0.1:${server.address().port}/graphql\n`);
process.once('SIGTERM', async () => {
  server.close();
  await gateway.dispose();
  process.exit(0);
});
