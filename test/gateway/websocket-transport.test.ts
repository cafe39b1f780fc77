import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

let stack: TestGateway;
let client: Client;
beforeAll(async () => {
  stack = await startTestGateway();
  client = createClient({ url: stack.gateway.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await client?.dispose();
  await stack?.close();
});

/** Collects every result of one operation; rejects with what the server refused it with. */
function run(query: string): Promise<FormattedExecutionResult<Record<string, unknown>, unknown>[]> {
  return new Promise((resolve, reject) => {
    const results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
    client.subscribe({ query }, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
  });
}

describe('graphql-ws on the gateway', () => {
  it('runs queries', async () => {
    expect(await run('{ echo(text: "over ws") }')).toEqual([{ data: { echo: 'over ws' } }]);
  });

  it('delegates subscriptions to the subgraph over WebSocket, event by event', async () => {
    const events = await run('subscription { countdown(from: 3) }');
    expect(events.map((e) => e.data)).toEqual([{ countdown: 3 }, { countdown: 2 }, { countdown: 1 }, { countdown: 0 }]);
  });

  it('applies the same depth limit as HTTP', async () => {
    const deep = `{ node(id: "1") { ${'child { '.repeat(14)} id ${'} '.repeat(14)} } }`;
    const refusal = await run(deep).then(
      () => undefined,
      (errors: unknown) => errors,
    );
    expect(refusal).toEqual([expect.objectContaining({ message: expect.stringMatching(/depth/i), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('refuses malformed documents with a parse error', async () => {
    const refusal = await run('{ echo(').then(
      () => undefined,
      (errors: unknown) => errors,
    );
    expect(refusal).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) })]);
  });
});
