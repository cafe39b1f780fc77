import { createHmac } from 'node:crypto';

/**
 * The answer to X's Challenge-Response Check: X calls the webhook with `GET ?crc_token=…` and expects
 * `{ "response_token": crcResponseToken(crc_token, consumerSecret) }`, i.e. `sha256=` and the base64
 * HMAC-SHA256 of the token keyed with the app's consumer secret.
 */
export function crcResponseToken(crcToken: string, consumerSecret: string): string {
  return `sha256=${hmacBase64(consumerSecret, crcToken)}`;
}

/** The `x-twitter-webhooks-signature` header of an Account Activity delivery: `sha256=` and the base64 HMAC-SHA256 of the raw body. */
export function twitterSignature(body: string | Buffer, consumerSecret: string): string {
  return `sha256=${hmacBase64(consumerSecret, body)}`;
}

function hmacBase64(key: string, data: string | Buffer): string {
  return createHmac('sha256', key).update(data).digest('base64');
}
