import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrincipalTokens, PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';
import { startTestApp } from '../support/app.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { adminHeaders, authorization, gatewaySignature } from '../support/tokens.ts';

/** The local ports HTTP requests arrived on while `fn` ran (every server of this test runs in this process). */
async function portsReached(fn: () => Promise<void>): Promise<number[]> {
  const ports: number[] = [];
  const record = (message: unknown) => {
    const port = (message as { request: IncomingMessage }).request.socket.localPort;
    if (port !== undefined) ports.push(port);
  };
  dc.subscribe('http.server.request.start', record);
  try {
    await fn();
  } finally {
    dc.unsubscribe('http.server.request.start', record);
  }
  return ports;
}

const portOf = (url: string) => Number(new URL(url).port);
const WHOAMI = '{ whoami echo(text: "in process") }';

describe('a subgraph called in process', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway({ inProcess: true });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('answers through the gateway, with the signed caller, without an HTTP request to the subgraph', async () => {
    let response: Awaited<ReturnType<typeof postGraphQL>> | undefined;
    const ports = await portsReached(async () => {
      response = await postGraphQL(test.gateway.url, WHOAMI, undefined, await authorization({ sub: 'ada', scope: 'payments:read' }));
    });
    expect(response?.body).toEqual({ data: { whoami: 'ada', echo: 'in process' } });
    expect(ports).toContain(portOf(test.gateway.url));
    expect(ports).not.toContain(test.subgraph.port);
  });

  it("refuses a request without the gateway's signature, as its HTTP route does", async () => {
    const body = JSON.stringify({ query: WHOAMI });
    const json = { 'content-type': 'application/json' };
    const unsigned = await test.subgraph.call({ headers: json, body });
    const otherSecret = createPrincipalTokens(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
    const forged = await test.subgraph.call({ headers: { ...json, [PRINCIPAL_HEADER]: otherSecret.forCaller({ kind: 'user', principal: { subject: 'ada', scopes: [] } }) }, body });
    const overHttp = await fetch(test.subgraph.url, { method: 'POST', headers: json, body });
    expect(overHttp.status).toBe(401);
    const refusal: unknown = await overHttp.json();
    for (const answer of [unsigned, forged]) {
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual(refusal);
    }
    const signed = await test.subgraph.call({ headers: { ...json, ...gatewaySignature({ subject: 'ada', scopes: [] }) }, body });
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.body)).toEqual({ data: { whoami: 'ada', echo: 'in process' } });
  });

  it('fails its fields at once with SUBGRAPH_UNAVAILABLE once the subgraph has stopped', async () => {
    await test.subgraph.close();
    const response = await postGraphQL(test.gateway.url, WHOAMI, undefined, await authorization({ sub: 'ada' }));
    expect(errorCodes(response)).toContain('SUBGRAPH_UNAVAILABLE');
  });
});

describe("npm start's subgraphs", () => {
  const QUERY = '{ customers(first: 3) { nodes { id email github { login name } } } }';

  it('are called in process by default, and answer the same as over loopback HTTP (SUBGRAPH_TRANSPORT=http)', async () => {
    const answers: unknown[] = [];
    for (const transport of ['in-process', 'http']) {
      const app = await startTestApp({ SUBGRAPH_TRANSPORT: transport });
      try {
        let response: Awaited<ReturnType<typeof postGraphQL>> | undefined;
        const ports = await portsReached(async () => {
          response = await postGraphQL(app.gateway.url, QUERY, undefined, await adminHeaders());
        });
        expect(response?.body.errors).toBeUndefined();
        answers.push(response?.body.data);
        const subgraphPorts = ['stripe', 'github'].map((name) => portOf(app.subgraphs.find((s) => s.name === name)!.url));
        const reached = subgraphPorts.filter((port) => ports.includes(port));
        expect(reached).toEqual(transport === 'http' ? subgraphPorts : []);
      } finally {
        await app.close();
      }
    }
    expect(answers[0]).toEqual(answers[1]);
    expect((answers[0] as { customers: { nodes: unknown[] } }).customers.nodes).toHaveLength(3);
  });
});
