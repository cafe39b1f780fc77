/**
 * Splits a request target (`req.url`) without normalising it. `new URL()` would resolve `..`, re-encode
 * characters and turn `+` into a space in query values; signature checks need the path and query
 * exactly as the client signed them.
 */
export interface RawUrl {
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  /** Query parameters in order, names and values percent-decoded (a `+` stays a `+`). */
  readonly query: ReadonlyArray<readonly [name: string, value: string]>;
}

export function splitRawUrl(target: string): RawUrl {
  const questionMark = target.indexOf('?');
  const path = questionMark === -1 ? target : target.slice(0, questionMark);
  const search = questionMark === -1 ? '' : target.slice(questionMark + 1);
  const query = search
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): readonly [string, string] => {
      const equals = pair.indexOf('=');
      return equals === -1
        ? [decode(pair), '']
        : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
    });
  return { path, query };
}

/** The first value of a query parameter (names are case-sensitive, as in S3). */
export function queryValue(url: RawUrl, name: string): string | undefined {
  return url.query.find(([key]) => key === name)?.[1];
}

/** A malformed escape is kept verbatim: the request then simply fails its signature check. */
function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}
