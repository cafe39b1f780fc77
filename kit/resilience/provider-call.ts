import type { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';

/**
 * A provider's "run one call, turn whatever it throws into a stable GraphQL error", built from its
 * error mapper, so every provider maps errors the same way at the same place.
 */
export function providerCall(toGraphQLError: (error: unknown, logger: Logger) => GraphQLError) {
  return async <T>(logger: Logger, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toGraphQLError(error, logger);
    }
  };
}
