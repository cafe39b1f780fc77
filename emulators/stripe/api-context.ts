import type Stripe from 'stripe';
import type { IdGenerator } from './ids.ts';
import type { Store } from './store.ts';

export type EventType = Stripe.Event['type'];
/** The object an event of type `T` carries in `data.object`, per the SDK's event types. */
export type EventObject<T extends EventType> = Extract<Stripe.Event, { type: T }>['data']['object'];

/** Records an event caused by the current request (its `request.id` and idempotency key are filled in). */
export type EmitEvent = <T extends EventType>(type: T, object: EventObject<T>, previous?: Partial<EventObject<T>>) => void;

/** What an API handler works with. Handlers are synchronous: a request applies all its changes at once. */
export interface ApiContext {
  readonly store: Store;
  readonly ids: IdGenerator;
  /** Unix seconds. */
  now(): number;
  readonly emit: EmitEvent;
  /** Where the emulator is reached (`http://127.0.0.1:12111`): its test pages (3-D Secure, Checkout) live there. */
  readonly baseUrl: string;
}

export interface ApiRequest {
  /** Query string and form body, parsed by `qs` and not yet validated. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The object id in the path, for routes with `:id`. */
  readonly id: string;
}

export interface ApiResult {
  readonly status: number;
  readonly body: object;
}

export type ApiHandler = (request: ApiRequest, context: ApiContext) => ApiResult;

export function ok(body: object): ApiResult {
  return { status: 200, body };
}
