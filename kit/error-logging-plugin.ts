import type { ApolloServerPlugin } from '@apollo/server';
import { isExpectedError, isUncodedRequestError, SubgraphGraphQLError } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * Logs every unexpected error of an operation with that operation's logger (so with its request id):
 * message, code and path only. The raw error can carry a subgraph query and its variables (personal
 * data), so it is never logged whole.
 */
export function errorLoggingPlugin<Context extends { logger: Logger }>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.['code'];
            // Plugins see errors before formatError gives them their code: a client's mistake without one is still the client's.
            if (isExpectedError(code) || isUncodedRequestError(error.message)) continue;
            if (error instanceof SubgraphGraphQLError) {
              // The subgraph's answer, passed on as it gave it: its failure (if any) is logged there.
              contextValue.logger.info({ error: { message: error.message, code, path: error.path } }, 'a subgraph answered with an error');
              continue;
            }
            const cause = error.originalError;
            contextValue.logger.error(
              { error: { message: error.message, code, path: error.path, cause: cause ? { name: cause.name, message: cause.message } : undefined } },
              'operation failed unexpectedly',
            );
          }
        },
      };
    },
  };
}
