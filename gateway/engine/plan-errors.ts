import { GraphQLError } from 'graphql';
import { ErrorCode, SubgraphGraphQLError } from '../../kit/errors.ts';
import type { SubgraphError } from './subgraph-request.ts';

type Path = readonly (string | number)[];

/** A subgraph's error, with its message and extensions as the subgraph gave them, at a client path. */
export function subgraphError(error: SubgraphError, path: Path | undefined): GraphQLError {
  return new SubgraphGraphQLError(typeof error.message === 'string' ? error.message : 'Subgraph error', {
    ...(path ? { path } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}

/** What the client sees where a subgraph could not be reached (or did not answer in time): a stable code, never the address or the cause. */
export function unavailableError(path: Path | undefined, timedOut = false): GraphQLError {
  return new GraphQLError(timedOut ? 'A backing service of this gateway did not answer in time' : 'A backing service of this gateway is unavailable', {
    ...(path ? { path } : {}),
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
  });
}
