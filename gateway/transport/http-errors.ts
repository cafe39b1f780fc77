import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * Body-parser failures answered as GraphQL clients expect: JSON with a stable code, never Express's
 * HTML page. An oversized body is 413, malformed JSON is 400.
 */
export const graphqlBodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (error.type === 'entity.too.large') {
    res.status(413).json({ errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    return;
  }
  if (error.type === 'entity.parse.failed' || error.status === 400) {
    res.status(400).json({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
};

/** Batched HTTP requests (a JSON array of operations) beyond `maxBatch` are refused whole, before any runs. */
export function batchLimit(maxBatch: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > maxBatch) {
      const message = maxBatch === 1 ? 'Batched requests are not accepted' : `At most ${maxBatch} operations per batched request`;
      res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    next();
  };
}
