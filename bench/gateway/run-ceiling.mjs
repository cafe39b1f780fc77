/**
 * The ceiling: a plain node:http server that reads each request and answers the deep query's response
 * bytes, captured once from a gateway. No GraphQL at all: the most any Node gateway could serve here.
 * Environment: BENCH_CEILING_BODY (file with the response), PORT (0: a free one). Prints `READY <url>`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.env.BENCH_CEILING_BODY);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 120_000;
await new Promise((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
process.stdout.write(`READY http://127.0.0.1:${server.address().port}/graphql\n`);
process.once('SIGTERM', () => process.exit(0));
