import type { InlineErrorV2 } from 'twitter-api-v2';

/**
 * X API v2 error bodies. Whole-request failures are RFC 7807-style problems (`title`, `detail`, `type`);
 * a lookup that finds only some of what it was asked for answers 200 with the misses as partial errors
 * beside `data` (see `notFound`).
 */

/** One rejected parameter of an Invalid Request, e.g. `{ parameters: { max_results: ['3'] }, message }`. */
export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

/** A failed request: thrown by handlers, answered with `status` and `body` as they are. */
export class XProblem extends Error {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  constructor(status: number, body: Readonly<Record<string, unknown>>) {
    super(typeof body['detail'] === 'string' ? body['detail'] : `X API error ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function invalidRequest(errors: readonly ParameterError[]): XProblem {
  return new XProblem(400, {
    errors,
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });
}

/** 401: a missing, unknown or malformed credential (no rate-limit headers: the caller is nobody). */
export const UNAUTHORIZED_BODY = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } as const;

/** 429 once an endpoint's window is spent. */
export const TOO_MANY_REQUESTS_BODY = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } as const;

/** An app-only bearer token on an endpoint that acts for a user (posting, deleting). */
export function unsupportedAuthentication(): XProblem {
  return new XProblem(403, {
    title: 'Unsupported Authentication',
    detail:
      'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
    type: 'https://api.twitter.com/2/problems/unsupported-authentication',
    status: 403,
  });
}

export function forbidden(detail: string): XProblem {
  return new XProblem(403, { detail, type: 'about:blank', title: 'Forbidden', status: 403 });
}

/** A path no endpoint serves. */
export function routeNotFound(): XProblem {
  return new XProblem(404, {
    errors: [{ message: 'The requested resource could not be found.' }],
    title: 'Not Found Error',
    detail: 'The requested resource could not be found.',
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  });
}

/**
 * A partial error for one missing user or tweet, e.g. for `usernames=nosuchuser`: "Could not find user
 * with usernames: [nosuchuser]." — the parameter named is the one the value came from.
 */
export function notFound(resource: 'user' | 'tweet', parameter: string, value: string): InlineErrorV2 {
  return {
    value,
    detail: `Could not find ${resource} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resource,
    parameter,
    resource_id: value,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
}
