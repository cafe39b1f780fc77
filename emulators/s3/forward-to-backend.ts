import { request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { s3ExtendedRequestId, s3RequestId, sendS3Error } from './s3-error.ts';

/**
 * Connection-level headers belong to one hop (client→proxy or proxy→s3rver), not to the request.
 * `expect` is answered by our own server already (Node sends the 100 Continue).
 */
const HOP_BY_HOP_REQUEST = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'expect']);
const HOP_BY_HOP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding']);

export interface Backend {
  readonly port: number;
  readonly agent: Agent;
}

export interface ForwardOptions {
  /** Request target to send instead of the client's (same method, headers and body). */
  readonly target?: string;
  /** Rewrites the body of a 200 answer; that answer is then buffered instead of streamed. */
  readonly rewriteOkBody?: (body: string) => string;
  /**
   * Fail-after-commit: the request is carried out in full (a 200 body still goes through `rewriteOkBody`),
   * then s3rver's answer is thrown away and this is called to answer instead (a reset, a 500).
   */
  readonly replaceAnswer?: () => void;
  /** The request body, already read from the client (to check its hash); sent instead of piping the request. */
  readonly body?: Buffer;
}

/**
 * Streams a request to s3rver and its answer back, unchanged: same method, target, Host header and
 * body bytes (the body is piped, unless the caller has read it already to check its hash). Response
 * framing is left to Node.
 */
export function forwardToBackend(req: IncomingMessage, res: ServerResponse, backend: Backend, options: ForwardOptions = {}): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP_REQUEST.has(name)) headers[name] = value;
  }

  const upstream = httpRequest({
    host: '127.0.0.1',
    port: backend.port,
    method: req.method,
    path: options.target ?? req.url,
    headers,
    agent: backend.agent,
    setHost: false, // the client's Host header is already in `headers`
  });

  upstream.on('response', (upstreamRes) => {
    const status = upstreamRes.statusCode ?? 502;
    const rewrite = options.rewriteOkBody;
    const replace = options.replaceAnswer;
    if (replace) {
      const chunks: Buffer[] = [];
      upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamRes.on('error', () => res.destroy());
      upstreamRes.on('end', () => {
        if (rewrite && status === 200) rewrite(Buffer.concat(chunks).toString('utf8'));
        replace();
      });
      return;
    }
    if (rewrite && status === 200) {
      const chunks: Buffer[] = [];
      upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamRes.on('error', () => res.destroy());
      upstreamRes.on('end', () => {
        const body = Buffer.from(rewrite(Buffer.concat(chunks).toString('utf8')), 'utf8');
        const headers = endToEndHeaders(upstreamRes.rawHeaders, 'content-length');
        res.writeHead(status, upstreamRes.statusMessage, [...headers, 'Content-Length', String(body.byteLength)]);
        res.end(body);
      });
      return;
    }
    res.writeHead(status, upstreamRes.statusMessage, endToEndHeaders(upstreamRes.rawHeaders));
    pipeline(upstreamRes, res, () => {});
  });

  upstream.on('error', () => {
    if (!res.headersSent) {
      sendS3Error(res, { status: 502, code: 'InternalError', message: 'The emulator could not reach its storage backend.' });
    } else {
      res.destroy();
    }
  });
  if (options.body !== undefined) {
    upstream.end(options.body);
  } else {
    // Not `pipeline`: it would destroy the client's request (and socket) before we could answer 502.
    req.pipe(upstream);
    req.on('error', () => upstream.destroy());
  }
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy(); // the client went away mid-exchange
  });
}

/**
 * Raw `[name, value, name, value, …]` headers without the hop-by-hop ones (and any named), plus S3's request
 * ids (`x-amz-request-id`, `x-amz-id-2`) on every answer, which s3rver does not send.
 */
function endToEndHeaders(raw: readonly string[], ...alsoDropped: string[]): string[] {
  const kept: string[] = [];
  const names = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    names.add(name);
    if (!HOP_BY_HOP_RESPONSE.has(name) && !alsoDropped.includes(name)) kept.push(raw[i] ?? '', raw[i + 1] ?? '');
  }
  if (!names.has('x-amz-request-id')) kept.push('x-amz-request-id', s3RequestId());
  if (!names.has('x-amz-id-2')) kept.push('x-amz-id-2', s3ExtendedRequestId());
  return kept;
}
