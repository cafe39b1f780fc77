import { ErrorCode, gatewayError } from '../../kit/errors.ts';

/** Checks of caller input, made before any provider call. Each returns the value to use or throws BAD_USER_INPUT. */

const MAX_KEY_BYTES = 1024;
export function objectKey(key: string): string {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0 || bytes > MAX_KEY_BYTES) throw badInput(`key must be 1 to ${MAX_KEY_BYTES} bytes`, 'key');
  // Control characters make keys that cannot be typed, logged or put in XML safely.
  if (/[\u0000-\u001f\u007f]/.test(key)) throw badInput('key must not contain control characters', 'key');
  return key;
}

export function expirySeconds(value: number | null | undefined, max: number, fallback = 900): number {
  const seconds = value ?? Math.min(fallback, max);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max) throw badInput(`expiresIn must be from 1 to ${max} seconds`, 'expiresIn');
  return seconds;
}

export function contentType(value: string): string {
  if (value.length > 255 || !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.-]+=("[^"]*"|[\w.-]+))*$/.test(value)) {
    throw badInput('contentType must be a media type such as image/png', 'contentType');
  }
  return value;
}

export function contentLength(value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw badInput(`contentLength must be from 0 to ${max} bytes`, 'contentLength');
  return value;
}

function badInput(message: string, argument: string) {
  return gatewayError(ErrorCode.BAD_USER_INPUT, message, { argument });
}
