import type { Logger } from './logger.ts';
import type { Caller } from './access/principal.ts';
import { requestIdFrom } from './request-id.ts';

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
  /** Who the gateway says is calling, from its signed header (see principal-token.ts). */
  caller: Caller;
}

export function createContextFactory<Loaders>({
  logger,
  createLoaders,
}: {
  logger: Logger;
  createLoaders: () => Loaders;
}): (input: ContextInput) => SubgraphContext<Loaders> {
  return ({ requestId, caller }) => {
    const id = requestIdFrom(requestId);
    const subject = caller.kind === 'user' ? { subject: caller.principal.subject } : {};
    return { requestId: id, caller, logger: logger.child({ requestId: id, ...subject }), loaders: createLoaders() };
  };
}
