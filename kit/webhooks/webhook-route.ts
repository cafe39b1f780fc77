import type { IncomingHttpHeaders } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';

export interface WebhookRequest {
  /** The body exactly as received: signatures are computed over these bytes, not over parsed JSON. */
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
  /** Answered instead of `body`, as a page: routes a person's browser reaches (OAuth callbacks). */
  html?: string | undefined;
  /** Extra response headers (`location` of a redirect, `cache-control`). */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** An HTTP endpoint a provider calls (Stripe, GitHub, …), served by the gateway and by the subgraph itself. */
export interface WebhookRoute {
  /** POST by default; GET for challenge-response checks (X's CRC). */
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  handle(request: WebhookRequest): Promise<WebhookResponse>;
}

export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

const tooLarge: ErrorRequestHandler = (error: { type?: string }, _req, res, next) => {
  if (error.type === 'entity.too.large') {
    res.status(413).json({ error: 'payload too large' });
    return;
  }
  next(error);
};

const queryOf = (req: Request) => new URL(req.originalUrl, 'http://localhost').searchParams;

/** Mounts webhook routes (raw bodies, bounded size) on an Express router. */
export function webhookRouter(routes: readonly WebhookRoute[], maxBodyBytes = WEBHOOK_MAX_BODY_BYTES): Router {
  const router = express.Router();
  for (const route of routes) {
    if (route.method === 'GET') {
      router.get(route.path, async (req: Request, res: Response) => {
        const { status, body, html, headers } = await route.handle({ rawBody: Buffer.alloc(0), headers: req.headers, query: queryOf(req) });
        if (headers) res.set(headers);
        if (html !== undefined) res.status(status).type('html').send(html);
        else res.status(status).json(body);
      });
      continue;
    }
    router.post(route.path, express.raw({ type: () => true, limit: maxBodyBytes }), tooLarge, async (req: Request, res: Response) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { status, body } = await route.handle({ rawBody, headers: req.headers, query: queryOf(req) });
      res.status(status).json(body);
    });
  }
  return router;
}
