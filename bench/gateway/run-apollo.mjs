/**
 * Peer: @apollo/gateway (the JavaScript gateway, Elastic-2.0) in @apollo/server's standalone server, on the
 * benchmark's supergraph, as its documentation sets it up, forwarding the client's `authorization` header to
 * every subgraph request (a `RemoteGraphQLDataSource` whose `willSendRequest` copies it from the context), as
 * a deployment whose subgraphs need the caller would. @apollo/gateway shares no subgraph request between
 * operations in any case. Plain JavaScript so that the project's type check never needs bench/'s own
 * dependencies.
 * Environment: BENCH_SUPERGRAPH (file), PORT (0: a free one). Prints `READY <url>`; stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

class ForwardCaller extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH, 'utf8'),
  logger: silentLogger(),
  buildService: ({ url }) => new ForwardCaller({ url }),
});
const server = new ApolloServer({ gateway, introspection: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.env.PORT ?? 0) },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.stdout.write(`READY ${new URL('graphql', url)}\n`);
process.once('SIGTERM', async () => {
  await server.stop();
  process.exit(0);
});

function silentLogger() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: (...args) => console.error(...args) };
}
