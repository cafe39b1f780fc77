import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlockedAddressError, resolveTarget } from './address-guard.ts';
import type { SignedHeaders } from './signer.ts';

export interface SendOptions {
  timeoutMs: number;
  /** Bytes of the response body read (for the log); the rest is discarded unread. */
  maxResponseBytes: number;
  allowPrivate: boolean;
}

export interface SendResult {
  statusCode: number | null;
  /** Why no status: `timeout`, `blocked_address`, `connection: <code>`… */
  error: string | null;
  durationMs: number;
}

// Keep-alive: an endpoint receiving a burst reuses its connections. Sockets are keyed by host and port,
// and each new socket connects to the address resolved (and checked) for its request.
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/**
 * One POST of a signed message: the host resolved once and checked (address-guard.ts), the connection pinned
 * to that address (the Host header and TLS name stay the URL's), no redirect followed (a 3xx is a failure,
 * as Stripe and Svix count it), the whole attempt bounded by `timeoutMs`, at most `maxResponseBytes` read.
 */
export async function sendMessage(url: string, payload: string, headers: SignedHeaders, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  let pinned;
  try {
    pinned = await resolveTarget(target.hostname, options.allowPrivate);
  } catch (error) {
    return { statusCode: null, error: error instanceof BlockedAddressError ? 'blocked_address' : 'dns_failed', durationMs: elapsed() };
  }
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  const transport = target.protocol === 'https:' ? https : http;
  const body = Buffer.from(payload);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = transport.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        lookup,
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'user-agent': 'federation-gateway-webhooks/1', ...headers },
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // Past the limit: the status is all we need; drop the connection rather than read a huge body.
          if (read > options.maxResponseBytes) {
            response.destroy();
            finish({ statusCode: response.statusCode ?? null, error: null });
          }
        });
        response.on('end', () => finish({ statusCode: response.statusCode ?? null, error: null }));
        response.on('error', () => finish({ statusCode: response.statusCode ?? null, error: null }));
        response.on('aborted', () => finish({ statusCode: response.statusCode ?? null, error: null }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: 'timeout' });
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ statusCode: null, error: `connection: ${error.code ?? error.message}` }));
    request.end(body);
  });
}
