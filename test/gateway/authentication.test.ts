import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticate } from '../../gateway/auth/authenticate.ts';
import { createTokenVerifier } from '../../gateway/auth/token-verifier.ts';
import { listen } from '../../kit/listen.ts';
import { createLogger } from '../../kit/logger.ts';
import { errorCodes, postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { signTestToken, TEST_JWT_SECRET } from '../support/tokens.ts';

const lines: string[] = [];
let stack: TestGateway;
beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  stack = await startTestGateway({ logger: createLogger({ level: 'info', name: 'test', destination }) });
});
afterAll(async () => {
  await stack?.close();
});

const ask = (authorization?: string) =>
  postGraphQL(stack.gateway.url, '{ echo(text: "hi") }', undefined, authorization === undefined ? {} : { authorization });

describe('bearer tokens at the gateway', () => {
  it('lets a caller without a token in, as anonymous', async () => {
    expect((await ask()).body).toEqual({ data: { echo: 'hi' } });
  });

  it('accepts a valid token, and logs the subject (never the token) with the request', async () => {
    const token = await signTestToken({ sub: 'alice', scope: 'payments:read' });
    const response = await postGraphQL(stack.gateway.url, '{ node(id: "explode") { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    const logged = lines.join('');
    expect(logged).toContain('"subject":"alice"');
    expect(logged).not.toContain(token);
  });

  it.each([
    ['a wrong signature', () => signTestToken({}, { secret: 'another-secret-of-at-least-thirty-two-chars' })],
    ['an expired token', () => signTestToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['alg none', async () => {
      const [, payload] = (await signTestToken()).split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    }],
    ['a token without a subject', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET))],
    // Every such token would share one principal.
    ['a token whose subject is empty', () => new SignJWT({ sub: '' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET))],
  ])('refuses %s with UNAUTHENTICATED and HTTP 401', async (_case, make) => {
    const response = await ask(`Bearer ${await make()}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data).toBeUndefined();
  });

  it.each(['HS256', 'HS384', 'HS512'])('accepts a token signed with the shared secret as %s, and refuses one with another secret', async (alg) => {
    const sign = (secret: string) => new SignJWT({}).setProtectedHeader({ alg }).setSubject('dana').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    const verify = createTokenVerifier({ kind: 'hmac', secret: new TextEncoder().encode(TEST_JWT_SECRET), clockToleranceSeconds: 0 });
    // Twice: the second verification uses the key imported for the first.
    for (let i = 0; i < 2; i++) expect(await verify(await sign(TEST_JWT_SECRET))).toMatchObject({ subject: 'dana' });
    await expect(verify(await sign('another-secret-of-at-least-thirty-two-chars'))).rejects.toThrow('Token not valid');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', 'bearer x.y'])('refuses a malformed header (%s) instead of treating it as anonymous', async (header) => {
    const response = await ask(header);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('takes the scheme in any case (`bearer`, `BEARER`), as HTTP defines it', async () => {
    const token = await signTestToken({ sub: 'alice' });
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) expect((await ask(`${scheme} ${token}`)).body).toEqual({ data: { echo: 'hi' } });
  });

  it('refuses an invalid token on WebSocket connections (saying so when it has only expired), and accepts a valid one', async () => {
    const connect = (authorization: string) =>
      new Promise<{ data?: unknown; closeCode?: number; reason?: string }>((resolve) => {
        const client = createClient({
          url: stack.gateway.wsUrl,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { authorization },
          on: { closed: (event) => resolve({ closeCode: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
        });
        client.subscribe(
          { query: '{ echo(text: "ws") }' },
          { next: (result) => resolve({ data: result.data }), error: () => {}, complete: () => void client.dispose() },
        );
      });
    expect(await connect('Bearer not.a.token')).toEqual({ closeCode: 4403, reason: 'Forbidden' });
    expect(await connect(`Bearer ${await signTestToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`)).toEqual({ closeCode: 4403, reason: 'Token expired' });
    expect(await connect(`Bearer ${await signTestToken()}`)).toEqual({ data: { echo: 'ws' } });
    expect(await connect(`bearer ${await signTestToken()}`)).toEqual({ data: { echo: 'ws' } });
  });
});

describe('the clock tolerance on long-lived connections', () => {
  let tolerant: TestGateway;
  beforeAll(async () => {
    // testAuthenticate accepts tokens up to 5 s past `exp`; so does this gateway's WebSocket.
    tolerant = await startTestGateway({ clockToleranceMs: 5_000 });
  });
  afterAll(async () => {
    await tolerant?.close();
  });

  it('keeps a WebSocket open for a token just past its exp, as HTTP accepts it, and closes it once past the tolerance', async () => {
    const justExpired = await signTestToken({ sub: 'alice' }, { expiresIn: Math.floor(Date.now() / 1000) - 2 });
    expect((await postGraphQL(tolerant.gateway.url, '{ echo(text: "hi") }', undefined, { authorization: `Bearer ${justExpired}` })).body).toEqual({ data: { echo: 'hi' } });
    const client = createClient({ url: tolerant.gateway.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${justExpired}` } });
    try {
      const closed = new Promise<{ code: number; reason: string }>((resolve) => client.on('closed', (event) => resolve(event as { code: number; reason: string })));
      const results: unknown[] = [];
      await new Promise<void>((resolve, reject) => client.subscribe({ query: '{ echo(text: "ws") }' }, { next: (r) => results.push(r), error: reject, complete: resolve }));
      expect(results).toEqual([{ data: { echo: 'ws' } }]);
      // Its exp was 2 s ago: the socket ends when the 5 s tolerance does, about 3 s from now.
      const started = Date.now();
      expect(await closed).toMatchObject({ code: 4403, reason: 'Token expired' });
      expect(Date.now() - started).toBeGreaterThan(1_500);
    } finally {
      await client.dispose();
    }
  }, 15_000);
});

describe('keys from a JWKS URL', () => {
  let jwks: Server;
  let url: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    url = `http://127.0.0.1:${await listen(jwks, 0, '127.0.0.1')}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const verifier = () =>
    createAuthenticate(createTokenVerifier({ kind: 'jwks', jwksUrl: new URL(url), issuer: 'https://id.example', audience: 'gateway', clockToleranceSeconds: 5 }));
  const rsToken = (claims: { iss?: string; aud?: string }) =>
    new SignJWT({ scope: 'social:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('bob')
      .setIssuer(claims.iss ?? 'https://id.example')
      .setAudience(claims.aud ?? 'gateway')
      .setExpirationTime('5m')
      .sign(privateKey);

  it('accepts a token signed by a published key, with the right issuer and audience', async () => {
    expect(await verifier()(`Bearer ${await rsToken({})}`)).toMatchObject({ kind: 'user', principal: { subject: 'bob', scopes: ['social:read'] } });
  });

  it('refuses a wrong issuer, a wrong audience, and an HMAC token (algorithm confusion)', async () => {
    const authenticate = verifier();
    await expect(authenticate(`Bearer ${await rsToken({ iss: 'https://evil.example' })}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(authenticate(`Bearer ${await rsToken({ aud: 'someone-else' })}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const hmac = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setIssuer('https://id.example').setAudience('gateway').setExpirationTime('5m').sign(new TextEncoder().encode(TEST_JWT_SECRET));
    await expect(authenticate(`Bearer ${hmac}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
