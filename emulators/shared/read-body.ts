import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

/**
 * The whole request body as UTF-8 text, refusing (BodyTooLargeError) past `maxBytes` so a runaway client
 * cannot make an emulator buffer without bound.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer; // no encoding is set on the request stream
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(`request body over ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
