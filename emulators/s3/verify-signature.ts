import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';
import { queryValue, splitRawUrl, type RawUrl } from './raw-url.ts';
import type { S3ErrorReply } from './s3-error.ts';

/**
 * Signature Version 4 checks done the way S3 does them, with the SDK's own signer re-computing the
 * signature from what was received.
 *
 * Why here and not in s3rver: s3rver 3.7.1 does not verify V4 signatures at all (its authentication
 * middleware only checks that the access key exists, for presigned URLs and Authorization headers
 * alike). It does verify V2 signatures itself, so those pass through with only their key checked.
 *
 * - Presigned URLs (`X-Amz-Signature` in the query): the request is rebuilt from the method, path,
 *   query without `X-Amz-Signature` and exactly the headers named in `X-Amz-SignedHeaders`, then
 *   presigned again with the same date, expiry, scope and signed header set.
 * - No credentials at all: 403 AccessDenied, as S3 answers for a private bucket (CORS preflights excepted).
 * - Authorization headers (`AWS4-HMAC-SHA256 …`): the request is rebuilt from the signed headers and
 *   signed again with the same date and scope. The payload hash is taken from `x-amz-content-sha256`
 *   as the client declared it; whether the body matches that header is checked afterwards, as S3
 *   checks it, in verify-content-sha256.ts (s3rver does not check it at all).
 */

export interface ExpectedIdentity {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface ReceivedRequest {
  readonly method: string;
  /** The request target as received (`req.url`). */
  readonly url: string;
  /** Lower-case names; repeated headers as arrays (`req.headersDistinct`). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** `undefined` when the request may go on to s3rver, otherwise the error S3 would answer. */
export type SignatureVerdict = S3ErrorReply | undefined;

type HttpRequestToSign = Parameters<SignatureV4['presign']>[0];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const CONTENT_SHA256 = 'x-amz-content-sha256';

export async function verifyRequestSignature(
  request: ReceivedRequest,
  expected: ExpectedIdentity,
  now: Date = new Date(),
): Promise<SignatureVerdict> {
  const url = splitRawUrl(request.url);
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = queryValue(url, 'X-Amz-Signature') !== undefined || queryValue(url, 'X-Amz-Algorithm') !== undefined;

  // Several auth mechanisms at once: s3rver answers that itself (400 InvalidArgument).
  if (presigned && authorization !== undefined) return undefined;
  if (presigned) return verifyPresignedUrl(request, url, expected, now);
  if (authorization?.startsWith(`${ALGORITHM} `)) return verifyAuthorizationHeader(request, url, authorization, expected);

  // Signature V2: s3rver verifies it against the registered secret; only the key must be ours.
  const v2AccessKeyId = authorization?.startsWith('AWS ')
    ? authorization.slice(4).split(':')[0]
    : queryValue(url, 'AWSAccessKeyId');
  if (v2AccessKeyId !== undefined && v2AccessKeyId !== expected.credentials.accessKeyId) {
    return invalidAccessKeyId(v2AccessKeyId);
  }
  if (v2AccessKeyId !== undefined) return undefined; // V2 with our key
  // Anonymous: the emulated buckets are private (S3's default, Block Public Access on), so S3 answers 403.
  // A CORS preflight carries no credentials in any bucket and goes on to s3rver's CORS handling.
  return request.method.toUpperCase() === 'OPTIONS' ? undefined : ANONYMOUS_DENIED;
}

const ANONYMOUS_DENIED: S3ErrorReply = { status: 403, code: 'AccessDenied', message: 'Access Denied' };

async function verifyPresignedUrl(
  request: ReceivedRequest,
  url: RawUrl,
  expected: ExpectedIdentity,
  now: Date,
): Promise<SignatureVerdict> {
  const algorithm = queryValue(url, 'X-Amz-Algorithm');
  const credential = queryValue(url, 'X-Amz-Credential');
  const amzDate = queryValue(url, 'X-Amz-Date');
  const expires = queryValue(url, 'X-Amz-Expires');
  const signedHeaderList = queryValue(url, 'X-Amz-SignedHeaders');
  const signature = queryValue(url, 'X-Amz-Signature');
  if (!algorithm || !credential || !amzDate || !expires || !signedHeaderList || !signature) {
    return queryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
        'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) return queryParametersError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);

  const scope = parseCredentialScope(credential);
  if (!scope) {
    return queryParametersError(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting ' +
        '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (scope.accessKeyId !== expected.credentials.accessKeyId) return invalidAccessKeyId(scope.accessKeyId);
  if (scope.region !== expected.region) {
    return queryParametersError(
      `Error parsing the X-Amz-Credential parameter; the region '${scope.region}' is wrong; expecting '${expected.region}'`,
      { Region: expected.region },
    );
  }

  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    return queryParametersError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  if (!/^\d+$/.test(expires)) return queryParametersError('X-Amz-Expires must be non-negative');
  const expiresIn = Number(expires);
  if (expiresIn > MAX_PRESIGNED_EXPIRES_SECONDS) {
    return queryParametersError(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be ' +
        `less than ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds`,
    );
  }
  const expiresAt = new Date(signingDate.getTime() + expiresIn * 1000);
  if (now > expiresAt) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
      details: { 'X-Amz-Expires': expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) },
    };
  }

  const signedHeaders = parseSignedHeaders(signedHeaderList);
  const notSigned = unsignedAmzHeaders(request.headers, signedHeaders);
  if (notSigned.length > 0) return headersNotSigned(notSigned);

  // The payload hash S3 uses for a presigned URL: the one in the query, else UNSIGNED-PAYLOAD. It
  // reaches the signer as a header it may neither sign nor hoist into the query (the query already
  // carries it when the client put it there).
  const headers = pickHeaders(request.headers, signedHeaders);
  const payloadHashIsSigned = signedHeaders.has(CONTENT_SHA256);
  if (!payloadHashIsSigned) {
    headers[CONTENT_SHA256] = queryValueIgnoringCase(url, CONTENT_SHA256) ?? UNSIGNED_PAYLOAD;
  }

  const signer = createSigner(expected, scope);
  const presigned = await signer.presign(toSignableRequest(request.method, url, headers), {
    signingDate,
    expiresIn,
    signingRegion: scope.region,
    signingService: scope.service,
    signableHeaders: signedHeaders,
    unsignableHeaders: payloadHashIsSigned ? new Set() : new Set([CONTENT_SHA256]),
    // Every header we kept was a header when signed: none may move into the query.
    unhoistableHeaders: new Set(Object.keys(headers)),
  });
  const recomputed = presigned.query?.['X-Amz-Signature'];
  return typeof recomputed === 'string' && signaturesMatch(recomputed, signature)
    ? undefined
    : signatureDoesNotMatch(scope.accessKeyId, signature);
}

async function verifyAuthorizationHeader(
  request: ReceivedRequest,
  url: RawUrl,
  authorization: string,
  expected: ExpectedIdentity,
): Promise<SignatureVerdict> {
  const fields = new Map(
    authorization
      .slice(ALGORITHM.length)
      .split(',')
      .map((field): [string, string] => {
        const [name = '', ...value] = field.trim().split('=');
        return [name, value.join('=')];
      }),
  );
  const credential = fields.get('Credential');
  const signedHeaderList = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaderList || !signature) {
    return headerMalformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const scope = parseCredentialScope(credential);
  if (!scope) {
    return headerMalformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (scope.accessKeyId !== expected.credentials.accessKeyId) return invalidAccessKeyId(scope.accessKeyId);
  if (scope.region !== expected.region) {
    return headerMalformed(`the region '${scope.region}' is wrong; expecting '${expected.region}'`, { Region: expected.region });
  }

  const signingDate = parseAmzDate(headerValue(request.headers, 'x-amz-date') ?? '');
  if (!signingDate) {
    return { status: 403, code: 'AccessDenied', message: 'AWS authentication requires a valid Date or x-amz-date header' };
  }

  const signedHeaders = parseSignedHeaders(signedHeaderList);
  const notSigned = unsignedAmzHeaders(request.headers, signedHeaders);
  if (notSigned.length > 0) return headersNotSigned(notSigned);

  const signer = createSigner(expected, scope);
  const signed = await signer.sign(toSignableRequest(request.method, url, pickHeaders(request.headers, signedHeaders)), {
    signingDate,
    signingRegion: scope.region,
    signingService: scope.service,
    signableHeaders: signedHeaders,
  });
  const recomputed = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1];
  return recomputed !== undefined && signaturesMatch(recomputed, signature)
    ? undefined
    : signatureDoesNotMatch(scope.accessKeyId, signature);
}

interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** `<AKID>/<yyyyMMdd>/<region>/<service>/aws4_request` */
function parseCredentialScope(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId = '', date = '', region = '', service = '', terminator] = parts;
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service || terminator !== 'aws4_request') return undefined;
  return { accessKeyId, date, region, service };
}

/** `yyyyMMdd'T'HHmmss'Z'` */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match.map(Number);
  const date = new Date(Date.UTC(year!, month! - 1, day!, hours!, minutes!, seconds!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseSignedHeaders(list: string): Set<string> {
  return new Set(list.split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== ''));
}

/** S3 refuses `x-amz-*` headers that the signature does not cover. */
function unsignedAmzHeaders(headers: ReceivedRequest['headers'], signed: ReadonlySet<string>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('x-amz-') && headers[name] !== undefined && !signed.has(name));
}

/** Exactly the signed headers, as received; repeated values comma-joined as SigV4 canonicalises them. */
function pickHeaders(headers: ReceivedRequest['headers'], names: ReadonlySet<string>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : typeof value === 'string' ? value : value.join(',');
}

function queryValueIgnoringCase(url: RawUrl, name: string): string | undefined {
  return url.query.find(([key]) => key.toLowerCase() === name)?.[1];
}

function toSignableRequest(method: string, url: RawUrl, headers: Record<string, string>): HttpRequestToSign {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.query) {
    if (name === 'X-Amz-Signature') continue;
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  // The host comes from the signed `host` header; protocol and hostname play no part in the signature.
  return { method: method.toUpperCase(), protocol: 'http:', hostname: headers['host'] ?? '', path: url.path, query, headers };
}

function createSigner(expected: ExpectedIdentity, scope: CredentialScope): SignatureV4 {
  return new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: expected.credentials,
    sha256: NodeSha256,
    uriEscapePath: false, // S3 signs the path as sent, without double encoding
    applyChecksum: false,
  });
}

function signaturesMatch(recomputed: string, provided: string): boolean {
  const a = Buffer.from(recomputed, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function signatureDoesNotMatch(accessKeyId: string, signatureProvided: string): S3ErrorReply {
  return {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    details: { AWSAccessKeyId: accessKeyId, SignatureProvided: signatureProvided },
  };
}

function invalidAccessKeyId(accessKeyId: string): S3ErrorReply {
  return {
    status: 403,
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
    details: { AWSAccessKeyId: accessKeyId },
  };
}

function headersNotSigned(names: readonly string[]): S3ErrorReply {
  return {
    status: 403,
    code: 'AccessDenied',
    message: 'There were headers present in the request which were not signed',
    details: { HeadersNotSigned: names.join(', ') },
  };
}

function queryParametersError(message: string, details?: Record<string, string>): S3ErrorReply {
  return { status: 400, code: 'AuthorizationQueryParametersError', message, ...(details ? { details } : {}) };
}

function headerMalformed(reason: string, details?: Record<string, string>): S3ErrorReply {
  return {
    status: 400,
    code: 'AuthorizationHeaderMalformed',
    message: `The authorization header is malformed; ${reason}`,
    ...(details ? { details } : {}),
  };
}
