import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingRequested } from '../../kit/tracing.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startTestApp } from '../support/app.ts';
import { startTestGateway } from '../support/test-gateway.ts';
import { TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET } from '../support/tokens.ts';
import type { RunningApp } from '../../app/start-app.ts';

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

describe('traces, in the process that serves the gateway, subgraphs and providers', () => {
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;
  let app: RunningApp;
  beforeAll(async () => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await provider?.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it("follow one operation from the client's traceparent through the gateway and its subgraph to the provider", async () => {
    const response = await postGraphQL(app.gateway.url, '{ products(first: 1) { nodes { id } } }', undefined, { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
    expect(response.body.errors).toBeUndefined();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === CLIENT_TRACE);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const one = (name: string, where: (span: ReadableSpan) => boolean = () => true) => {
      const found = spans.filter((span) => span.name === name && where(span));
      expect(found, `${name} in ${spans.map((span) => span.name).join(', ')}`).toHaveLength(1);
      return found[0]!;
    };
    const gatewayRequest = one('POST /graphql', (span) => parentOf(span) === CLIENT_SPAN);
    const operation = one('graphql.operation');
    expect(parentOf(operation)).toBe(gatewayRequest.spanContext().spanId);
    expect(operation.attributes['graphql.operation.type']).toBe('query');
    expect(parentOf(one('graphql.plan'))).toBe(operation.spanContext().spanId);
    const fetch = one('subgraph.fetch');
    expect(fetch.attributes['graphql.subgraph.name']).toBe('stripe');
    expect(parentOf(fetch)).toBe(operation.spanContext().spanId);
    // The subgraph's server span hangs from the gateway's fetch: the traceparent crossed the hop (in process here, as under npm start).
    const subgraphRequest = one('POST /graphql', (span) => span.attributes['graphql.subgraph.name'] === 'stripe');
    expect(parentOf(subgraphRequest)).toBe(fetch.spanContext().spanId);
    const providerCall = one('provider.call');
    expect(providerCall.attributes['provider.name']).toBe('stripe');
    // Below the subgraph's request (through its resolvers and loaders), never a root of its own.
    const ids = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    let ancestor: ReadableSpan | undefined = providerCall;
    while (ancestor && ancestor !== subgraphRequest) ancestor = ids.get(parentOf(ancestor) ?? '');
    expect(ancestor).toBe(subgraphRequest);
  });
});

describe('OTLP export', () => {
  it('is on only when the standard variables ask for it', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });

  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'otlp-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('sends the gateway executable\'s spans to an OTLP/HTTP collector', async () => {
    const received: string[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') received.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const stack = await startTestGateway();
    const file = join(folder, 'supergraph.graphql');
    writeFileSync(file, stack.supergraphSdl);
    const child = spawn(process.execPath, ['bin/gateway.js', '--supergraph', file, '--port', '0', '--default-access', 'public'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET,
        JWT_SECRET: TEST_JWT_SECRET,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        OTEL_SERVICE_NAME: 'gateway-under-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const ready = out.split('\n').find((line) => line.includes('"gateway ready"'));
          if (ready) resolve((JSON.parse(ready) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
      });
      expect((await postGraphQL(url, '{ echo(text: "traced") }')).body).toEqual({ data: { echo: 'traced' } });
      const deadline = Date.now() + 10_000;
      while (!received.some((body) => body.includes('graphql.operation')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const body = received.join('\n');
      expect(body).toContain('graphql.operation');
      expect(body).toContain('subgraph.fetch');
      expect(body).toContain('gateway-under-test');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await stack.close();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});
