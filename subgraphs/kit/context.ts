import type { Logger } from './logger.ts';
import { requestIdFrom } from './request-id.ts';

/** Who is calling. Only anonymous callers exist until authentication lands at the gateway. */
export type Caller = { readonly kind: 'anonymous' };
export const ANONYMOUS: Caller = Object.freeze({ kind: 'anonymous' });

/** A stable id for scoping per-caller things (idempotency keys, caller-scoped cache entries). */
export function callerId(caller: Caller): string {
  return caller.kind;
}

/** What every resolver of every subgraph receives: one per GraphQL operation, never shared. */
export interface SubgraphContext<Loaders> {
  readonly requestId: string;
  readonly caller: Caller;
  readonly logger: Logger;
  /** This operation's DataLoaders: built fresh per operation so batches never mix callers. */
  readonly loaders: Loaders;
}

export interface ContextInput {
  /** The request id the gateway forwarded, if any. */
  requestId?: unknown;
}

export function createContextFactory<Loaders>({
  logger,
  createLoaders,
}: {
  logger: Logger;
  createLoaders: () => Loaders;
}): (input: ContextInput) => SubgraphContext<Loaders> {
  return ({ requestId }) => {
    const id = requestIdFrom(requestId);
    return { requestId: id, caller: ANONYMOUS, logger: logger.child({ requestId: id }), loaders: createLoaders() };
  };
}
