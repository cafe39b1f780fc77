import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

const lines: { level: number; msg: string }[] = [];
let stack: TestGateway;
beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  stack = await startTestGateway({ logger: createLogger({ level: 'debug', name: 'test', destination }) });
});
afterAll(async () => {
  await stack?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ERROR = 50;

describe("the gateway's error log", () => {
  it("keeps a client's mistake out of it even when Apollo Server gives the error no code (an APQ hash that does not match its query)", async () => {
    const before = lines.length;
    const mismatch = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ echo(text: "hi") }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } }),
    });
    expect(mismatch.status).toBe(400);
    const body = (await mismatch.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(lines.slice(before).filter((line) => line.level >= ERROR)).toEqual([]);
  });

  it('answers an APQ extension of a version other than 1 (or not an object) with BAD_REQUEST, naming the problem, without logging it as a fault', async () => {
    const before = lines.length;
    for (const persistedQuery of [{ version: 2, sha256Hash: sha256('{ __typename }') }, 'not an object']) {
      const response = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery } }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors).toEqual([{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }]);
    }
    expect(lines.slice(before).filter((line) => line.level >= ERROR)).toEqual([]);
  });

  it('answers 400 to an operation name the document does not have, and to a subscription asked for as one answer, without logging them as faults', async () => {
    const before = lines.length;
    const post = async (body: Record<string, unknown>, accept = 'application/json') => {
      const response = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { errors: { message: string; extensions: { code: string } }[] } };
    };
    const unknown = await post({ query: 'query A { __typename }', operationName: 'B' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((error) => [error.extensions.code, error.message])).toEqual([['OPERATION_RESOLUTION_FAILURE', 'Unknown operation named "B".']]);
    const unnamed = await post({ query: 'query A { __typename } query B { __typename }' });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors.map((error) => error.extensions.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    const subscription = await post({ query: 'subscription { countdown(from: 2) }' });
    expect(subscription.status).toBe(400);
    expect(subscription.body.errors.map((error) => error.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(subscription.body.errors[0]!.message).toMatch(/graphql-ws .*text\/event-stream/);
    expect(lines.slice(before).filter((line) => line.level >= ERROR)).toEqual([]);
  });

  it('still hears of errors that are not the client\'s (the capture above works)', async () => {
    const before = lines.length;
    const response = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ node(id: "explode") { id } }' }) });
    expect(response.status).toBe(200);
    expect(lines.slice(before).map((line) => line.msg)).toContain('a subgraph answered with an error');
  });
});
