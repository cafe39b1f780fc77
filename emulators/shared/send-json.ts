import type { ServerResponse } from 'node:http';

/** Answers `body` as JSON with a content-length, plus any extra headers (content type and length win). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  { contentType = 'application/json', headers = {} }: { contentType?: string; headers?: Record<string, string> } = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
