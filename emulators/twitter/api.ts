import type { AccountActivity } from './account-activity.ts';
import type { Caller } from './auth.ts';
import type { Store } from './store.ts';

/** One authenticated API request, as a handler sees it. */
export interface ApiRequest {
  readonly query: URLSearchParams;
  /** Decoded path parameters of the route (`id`, `username`). */
  readonly params: Readonly<Record<string, string>>;
  /** The raw request body ('' when none). */
  readonly body: string;
  readonly caller: Caller;
}

export interface ApiContext {
  readonly store: Store;
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface ApiResult {
  readonly status: number;
  readonly body: object;
  /** An Account Activity event the request caused, delivered to the webhook (if any) after answering. */
  readonly activity?: AccountActivity;
}

/** Handlers are synchronous: a request applies all its changes at once. They throw XProblem to refuse. */
export type ApiHandler = (request: ApiRequest, context: ApiContext) => ApiResult;

export function ok(body: object): ApiResult {
  return { status: 200, body };
}
