import { createHmac, timingSafeEqual } from 'node:crypto';
import { ANONYMOUS_CALLER, type Caller, type Principal } from './principal.ts';

/** Where the gateway puts the caller on every HTTP request to a subgraph. */
export const PRINCIPAL_HEADER = 'x-gateway-principal';
/** Where it puts the caller of one subscription: the operation's extensions, never connectionParams. */
export const PRINCIPAL_EXTENSION = 'principal';
/** What the gateway's own WebSocket connection to a subgraph presents (no user in it: it is shared). */
export const GATEWAY_CONNECTION_PARAM = 'gateway';

/**
 * The signed envelope that carries a caller from the gateway to subgraphs: `<payload>.<HMAC-SHA256>` in
 * base64url, with an expiry. Synchronous node:crypto rather than a JWT library, because it is computed on
 * every subgraph request and inside graphql-ws's synchronous connectionParams. The secret is shared only
 * by the gateway and its subgraphs (SUBGRAPH_SECRET), so a subgraph reached directly, without the
 * gateway, cannot be made to act for anyone.
 */
interface Envelope {
  /** What the token stands for: a caller of one operation, or the gateway's own connection. */
  t: 'caller' | 'gateway';
  p?: Principal;
  exp: number;
}

const TOKEN_TTL_MS = 60_000;
/** Signed tokens are reused until this close to expiry, so a busy gateway signs each caller once. */
const REUSE_MARGIN_MS = 30_000;

export class InvalidPrincipalTokenError extends Error {
  override readonly name = 'InvalidPrincipalTokenError';
}

export interface PrincipalTokens {
  /** A token for this caller, reused while fresh (the anonymous caller is one shared object). */
  forCaller(caller: Caller): string;
  /** A token that says "this is the gateway", for its shared WebSocket connections. */
  forGateway(): string;
  verifyCaller(token: unknown): Caller;
  verifyGateway(token: unknown): void;
}

export function createPrincipalTokens(secret: Uint8Array, now: () => number = Date.now): PrincipalTokens {
  if (secret.length < 32) throw new Error('SUBGRAPH_SECRET must be at least 32 bytes');
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  const sign = (envelope: Envelope) => {
    const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
    return `${payload}.${mac(payload).toString('base64url')}`;
  };
  const open = (token: unknown): Envelope => {
    if (typeof token !== 'string') throw new InvalidPrincipalTokenError('missing gateway signature');
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) throw new InvalidPrincipalTokenError('malformed gateway signature');
    const expected = mac(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidPrincipalTokenError('invalid gateway signature');
    const envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Envelope;
    if (typeof envelope.exp !== 'number' || envelope.exp <= now()) throw new InvalidPrincipalTokenError('expired gateway signature');
    return envelope;
  };
  const signed = new WeakMap<Caller, { token: string; exp: number }>();
  return {
    forCaller(caller) {
      const reused = signed.get(caller);
      if (reused && reused.exp - now() > REUSE_MARGIN_MS) return reused.token;
      const exp = now() + TOKEN_TTL_MS;
      const token = sign({ t: 'caller', ...(caller.kind === 'user' ? { p: caller.principal } : {}), exp });
      signed.set(caller, { token, exp });
      return token;
    },
    forGateway() {
      return sign({ t: 'gateway', exp: now() + TOKEN_TTL_MS });
    },
    verifyCaller(token) {
      const envelope = open(token);
      if (envelope.t !== 'caller') throw new InvalidPrincipalTokenError('not a caller signature');
      return envelope.p ? { kind: 'user', principal: envelope.p } : ANONYMOUS_CALLER;
    },
    verifyGateway(token) {
      if (open(token).t !== 'gateway') throw new InvalidPrincipalTokenError('not a gateway signature');
    },
  };
}
