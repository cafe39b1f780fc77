import type { GraphQLResolveInfo } from 'graphql';
import type { UserRecord } from './records.ts';
import type { Store } from './store.ts';
import type { WebhookEvent } from './webhook-events.ts';

/** What `rateLimit { … }` reports for the request being executed. */
export interface RateLimitReport {
  limit: number;
  cost: number;
  remaining: number;
  used: number;
  resetAt: string;
  nodeCount: number;
}

/** Per-request state handed to every resolver. */
export interface GitHubContext {
  readonly store: Store;
  readonly viewer: UserRecord;
  /** Now as GitHub writes timestamps: ISO 8601, whole seconds, `Z`. */
  now(): string;
  readonly rateLimit: RateLimitReport;
  /** Queues a webhook event for after the response; `build` runs (at once) only when a webhook is set. */
  emit(build: () => WebhookEvent): void;
  /** Counts an operation such as `mutation addStar` in the emulator's request counter. */
  record(operation: string): void;
}

/**
 * A field resolver with the source and arguments its GitHub field has. graphql-js validates and coerces
 * arguments against GitHub's schema before calling it, which is what makes the declared `TArgs` true.
 */
export type Resolver<TSource, TArgs = Record<string, never>> = (
  source: TSource,
  args: TArgs,
  context: GitHubContext,
  info: GraphQLResolveInfo,
) => unknown;

/** Resolvers of one GraphQL type, by field; `never` accepts any resolver's source and arguments. */
export type TypeResolvers = Readonly<Record<string, Resolver<never, never>>>;
