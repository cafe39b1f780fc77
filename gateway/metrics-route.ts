import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics`: the registry in Prometheus' text format. */
export function metricsRoute(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.setHeader('content-type', registry.contentType);
      res.setHeader('cache-control', 'no-store');
      res.send(body);
    } catch (error) {
      next(error);
    }
  };
}
