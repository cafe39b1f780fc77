import { generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** The emulator's SNS signing identity: a fresh RSA key and a self-signed certificate for it. */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  /** PEM, served at the SigningCertURL. */
  readonly certificatePem: string;
}

// node:crypto verifies and parses X.509 but cannot issue a certificate. A self-signed one is a handful of
// DER structures (RFC 5280 §4.1), so it is built here rather than with a PKI library; X509Certificate
// parsing it back is the check (test/emulators/s3-notifications.test.ts).

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}
const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const oid = (hex: string) => der(0x06, Buffer.from(hex, 'hex'));
/** A non-negative INTEGER: a leading zero keeps a high first bit from reading as negative. */
const integer = (bytes: Buffer) => der(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${digits.slice(2)}Z`)) : der(0x18, Buffer.from(`${digits}Z`));
}
const SHA256_WITH_RSA = sequence(oid('2a864886f70d01010b'), der(0x05, Buffer.alloc(0)));
const commonName = (name: string) => sequence(set(sequence(oid('550403'), der(0x0c, Buffer.from(name, 'utf8')))));

/** A new 2048-bit RSA key and a self-signed sha256WithRSA certificate for it, valid from an hour ago for a year. */
export async function createSigningIdentity({ commonName: name = 'sns.emulator.invalid', now = new Date() }: { commonName?: string; now?: Date } = {}): Promise<SigningIdentity> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and without a leading zero byte
  const subject = commonName(name);
  const tbsCertificate = sequence(
    der(0xa0, integer(Buffer.from([2]))), // [0] EXPLICIT version: v3
    integer(serial),
    SHA256_WITH_RSA,
    subject, // issuer: self-signed
    sequence(time(new Date(now.getTime() - 60 * 60 * 1000)), time(new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbsCertificate, privateKey);
  const certificate = sequence(tbsCertificate, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return { privateKey, certificatePem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n` };
}
