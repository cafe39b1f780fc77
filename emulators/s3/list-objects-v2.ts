import { queryValue, splitRawUrl } from './raw-url.ts';
import type { S3ErrorReply } from './s3-error.ts';
import { escapeXml, unescapeXml } from './xml-text.ts';

/**
 * ListObjectsV2 through s3rver's ListObjects (V1).
 *
 * Why: s3rver 3.7.1 builds V2 continuation tokens with the DES cipher, which OpenSSL 3 (Node 17+)
 * no longer provides, so every truncated V2 listing, and every request carrying a continuation
 * token, fails with 500 InternalError. Its V1 listing (marker-based) works. So a V2 request goes
 * to s3rver as V1 (`continuation-token`/`start-after` become `marker`), and the V1 answer is turned
 * back into a V2 document with our own continuation token: the last key returned, base64url-encoded
 * (S3's tokens are opaque too). Listings are at most 1000 keys, so that answer is buffered.
 *
 * s3rver also mishandles a `delimiter`: MaxKeys limits only its keys, never its common prefixes, and a
 * marker equal to a common prefix (`js/`) does not skip the keys beneath it, so the prefix comes back on
 * the next page. So the V2 answer is cut here, as S3 does: keys and common prefixes count together toward
 * MaxKeys, in key order, and a page resumed from a token leaves out prefixes at or before it.
 */

const TOKEN_PREFIX = 's3e:';
/** V2-only parameters that s3rver's V1 listing would refuse or ignore. */
const V2_ONLY_PARAMETERS = new Set(['list-type', 'continuation-token', 'start-after', 'fetch-owner']);

export interface V1ListingRequest {
  /** The request target to send to s3rver. */
  readonly target: string;
  /** The last key or common prefix the previous page returned, when resuming from a continuation token. */
  readonly resumeAfter?: string;
  /** What the V2 answer must echo back. */
  readonly echo: {
    readonly continuationToken?: string;
    readonly startAfter?: string;
    readonly fetchOwner: boolean;
    readonly maxKeys: string;
    readonly encodingType?: string;
  };
}

/** Rewrites a ListObjectsV2 request target into the equivalent V1 one, or says why S3 would refuse it. */
export function v1ListingRequestFor(v2Target: string): V1ListingRequest | S3ErrorReply {
  const url = splitRawUrl(v2Target);
  const continuationToken = queryValue(url, 'continuation-token');
  const startAfter = queryValue(url, 'start-after');

  let marker = startAfter;
  if (continuationToken !== undefined) {
    marker = decodeContinuationToken(continuationToken);
    if (marker === undefined) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: 'The continuation token provided is incorrect',
        details: { ArgumentName: 'continuation-token', ArgumentValue: continuationToken },
      };
    }
  }

  // Untouched parameters keep their original encoding (presigned auth parameters among them).
  const questionMark = v2Target.indexOf('?');
  const kept = questionMark === -1
    ? []
    : v2Target
        .slice(questionMark + 1)
        .split('&')
        .filter((pair) => pair !== '' && !V2_ONLY_PARAMETERS.has(safeDecode(pair.split('=')[0] ?? '')));
  if (marker) kept.push(`marker=${encodeURIComponent(marker)}`);

  const encodingType = queryValue(url, 'encoding-type');
  return {
    target: kept.length > 0 ? `${url.path}?${kept.join('&')}` : url.path,
    ...(continuationToken !== undefined && marker !== undefined ? { resumeAfter: marker } : {}),
    echo: {
      ...(continuationToken !== undefined ? { continuationToken } : {}),
      ...(startAfter !== undefined ? { startAfter } : {}),
      fetchOwner: queryValue(url, 'fetch-owner') === 'true',
      maxKeys: queryValue(url, 'max-keys') ?? '1000',
      ...(encodingType !== undefined ? { encodingType } : {}),
    },
  };
}

/** S3 never answers more than this many entries (keys plus common prefixes) per page. */
const MAX_PAGE_ENTRIES = 1000;

interface ListingEntry {
  /** The key, or the common prefix, unescaped: what sorts the page. */
  readonly name: string;
  /** Its `<Contents>` or `<CommonPrefixes>` element. */
  readonly xml: string;
  readonly isPrefix: boolean;
}

/** Turns s3rver's V1 `ListBucketResult` into the V2 document S3 answers. */
export function v2ListingFromV1(v1Xml: string, { echo, resumeAfter }: Pick<V1ListingRequest, 'echo' | 'resumeAfter'>): string {
  const element = (name: string): string | undefined =>
    new RegExp(`<ListBucketResult[^>]*>[\\s\\S]*?<${name}>([\\s\\S]*?)</${name}>`).exec(v1Xml)?.[1];

  const keys = [...v1Xml.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)].map(([block]): ListingEntry => ({
    name: unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(block)?.[1] ?? ''),
    xml: echo.fetchOwner ? block : block.replace(/<Owner>[\s\S]*?<\/Owner>/, ''),
    isPrefix: false,
  }));
  const prefixes = [...v1Xml.matchAll(/<CommonPrefixes>[\s\S]*?<\/CommonPrefixes>/g)]
    .map(([block]): ListingEntry => ({ name: unescapeXml(/<Prefix>([\s\S]*?)<\/Prefix>/.exec(block)?.[1] ?? ''), xml: block, isPrefix: true }))
    // A prefix at or before where the previous page stopped was returned already (its keys sort after it).
    .filter((prefix) => resumeAfter === undefined || prefix.name > resumeAfter);

  // s3rver stops scanning at its first key past MaxKeys, so everything it returned sorts before anything it
  // did not: the first MaxKeys entries of the merged list are the page, whatever is left makes it truncated.
  const entries = [...keys, ...prefixes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const requested = Number(echo.maxKeys);
  const maxKeys = Number.isFinite(requested) ? Math.min(MAX_PAGE_ENTRIES, requested) : MAX_PAGE_ENTRIES;
  const page = entries.slice(0, maxKeys);
  const isTruncated = element('IsTruncated') === 'true' || entries.length > page.length;
  const contents = page.filter((entry) => !entry.isPrefix).map((entry) => entry.xml);
  const commonPrefixes = page.filter((entry) => entry.isPrefix).map((entry) => entry.xml);
  // The next page starts after the last key or common prefix returned, whichever sorts last.
  const lastReturned = page.at(-1)?.name;

  const delimiter = element('Delimiter');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${element('Name') ?? ''}</Name>` +
    `<Prefix>${element('Prefix') ?? ''}</Prefix>` +
    (echo.startAfter !== undefined && echo.continuationToken === undefined ? `<StartAfter>${escapeXml(echo.startAfter)}</StartAfter>` : '') +
    (echo.continuationToken !== undefined ? `<ContinuationToken>${escapeXml(echo.continuationToken)}</ContinuationToken>` : '') +
    (isTruncated && lastReturned !== undefined ? `<NextContinuationToken>${encodeContinuationToken(lastReturned)}</NextContinuationToken>` : '') +
    `<KeyCount>${contents.length + commonPrefixes.length}</KeyCount>` +
    `<MaxKeys>${escapeXml(echo.maxKeys)}</MaxKeys>` +
    (delimiter ? `<Delimiter>${delimiter}</Delimiter>` : '') +
    (echo.encodingType !== undefined ? `<EncodingType>${escapeXml(echo.encodingType)}</EncodingType>` : '') +
    `<IsTruncated>${isTruncated}</IsTruncated>` +
    contents.join('') +
    commonPrefixes.join('') +
    '</ListBucketResult>'
  );
}

export function encodeContinuationToken(lastKey: string): string {
  return Buffer.from(TOKEN_PREFIX + lastKey, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  return decoded.startsWith(TOKEN_PREFIX) ? decoded.slice(TOKEN_PREFIX.length) : undefined;
}

function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}
