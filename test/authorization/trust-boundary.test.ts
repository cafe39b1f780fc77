import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticated } from '../../kit/access/access.ts';
import { createPrincipalTokens, GATEWAY_CONNECTION_PARAM, PRINCIPAL_EXTENSION, PRINCIPAL_HEADER } from '../../kit/access/principal-token.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, TEST_SUBGRAPH_ACCESS, type TestGateway } from '../support/test-gateway.ts';
import { gatewaySignature, signTestToken, TEST_SUBGRAPH_SECRET, testPrincipalTokens } from '../support/tokens.ts';
import { collect, refusal, wsClient } from '../support/ws-client.ts';

let stack: TestGateway;
beforeAll(async () => {
  stack = await startTestGateway({
    accessRules: { ...TEST_SUBGRAPH_ACCESS, Subscription: { ...TEST_SUBGRAPH_ACCESS['Subscription'], whoamiLive: authenticated } },
  });
});
afterAll(async () => {
  await stack?.close();
});

const secret = new TextEncoder().encode(TEST_SUBGRAPH_SECRET);
const user = (subject: string) => ({ kind: 'user', principal: { subject, scopes: [] } }) as const;

describe('a subgraph reached directly, without the gateway', () => {
  const direct = (headers: Record<string, string>, query = '{ whoami }') => postGraphQL(stack.subgraph.url, query, undefined, headers);

  it.each([
    ['no signature', {}],
    ['a signature made with another secret', { [PRINCIPAL_HEADER]: createPrincipalTokens(new TextEncoder().encode('x'.repeat(40))).forCaller(user('mallory')) }],
    ['an expired signature', { [PRINCIPAL_HEADER]: createPrincipalTokens(secret, () => Date.now() - 120_000).forCaller(user('mallory')) }],
    ['a tampered principal', { [PRINCIPAL_HEADER]: (() => {
      const [payload, mac] = testPrincipalTokens().forCaller(user('alice')).split('.');
      const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('alice', 'admin')).toString('base64url');
      return `${forged}.${mac}`;
    })() }],
    ['a bearer token instead', { authorization: 'Bearer abc.def.ghi' }],
  ])('answers 401 to %s, before reading the query', async (_case, headers) => {
    const response = await direct(headers);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data).toBeUndefined();
  });

  it('serves _service and _entities to the gateway’s signature', async () => {
    const service = await direct(gatewaySignature(), '{ _service { sdl } }');
    expect((service.body.data as { _service: { sdl: string } })._service.sdl).toContain('type Node');
    const entities = await direct(gatewaySignature(), '{ _entities(representations: [{ __typename: "Node", id: "7" }]) { ... on Node { id } } }');
    expect(entities.body.data).toEqual({ _entities: [{ id: '7' }] });
  });

  it('refuses a WebSocket that does not present the gateway’s credential, and an operation without a signed caller', async () => {
    const stranger = wsClient(stack.subgraph.wsUrl);
    const closed = await refusal(stranger, 'subscription { whoamiLive }');
    expect(closed).toMatchObject({ code: 4403 });
    await stranger.dispose();

    const gatewayLike = wsClient(stack.subgraph.wsUrl, { connectionParams: { [GATEWAY_CONNECTION_PARAM]: testPrincipalTokens().forGateway() } });
    const unsigned = await refusal(gatewayLike, 'subscription { whoamiLive }');
    expect(unsigned).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    const signed = await collect(gatewayLike, 'subscription { whoamiLive }', { [PRINCIPAL_EXTENSION]: testPrincipalTokens().forCaller(user('carol')) });
    expect(signed).toEqual([{ data: { whoamiLive: 'carol' } }]);
    await gatewayLike.dispose();
    expect(stack.stats.subscriptionsStarted).toBe(1);
  });
});

describe('the gateway forwards the caller', () => {
  it('over HTTP, signed', async () => {
    const token = await signTestToken({ sub: 'alice' });
    const response = await postGraphQL(stack.gateway.url, '{ whoami }', undefined, { authorization: `Bearer ${token}` });
    expect(response.body).toEqual({ data: { whoami: 'alice' } });
    expect((await postGraphQL(stack.gateway.url, '{ whoami }')).body).toEqual({ data: { whoami: null } });
  });

  it('per subscription, over the one WebSocket the gateway shares between users', async () => {
    const alice = wsClient(stack.gateway.wsUrl, { token: await signTestToken({ sub: 'alice' }) });
    const bob = wsClient(stack.gateway.wsUrl, { token: await signTestToken({ sub: 'bob' }) });
    const [a, b] = await Promise.all([collect(alice, 'subscription { whoamiLive }'), collect(bob, 'subscription { whoamiLive }')]);
    expect(a).toEqual([{ data: { whoamiLive: 'alice' } }]);
    expect(b).toEqual([{ data: { whoamiLive: 'bob' } }]);
    await Promise.all([alice.dispose(), bob.dispose()]);
  });

  it('never opens an upstream subscription the rules refuse', async () => {
    const before = stack.stats.subscriptionsStarted;
    const anonymous = wsClient(stack.gateway.wsUrl);
    expect(await refusal(anonymous, 'subscription { whoamiLive }')).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    await anonymous.dispose();
    expect(stack.stats.subscriptionsStarted).toBe(before);
  });
});
