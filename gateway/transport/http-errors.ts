import type { ErrorRequestHandler } from 'express';

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
