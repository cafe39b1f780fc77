import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Metrics, OperationType } from '../kit/metrics.ts';

/** The code an operation failed with: its first error's `extensions.code`, as Apollo Server would label it. */
function codeOf(error: unknown): string {
  const extensions = typeof error === 'object' && error !== null ? (error as Partial<Pick<GraphQLError, 'extensions'>>).extensions : undefined;
  const code = extensions?.['code'];
  return typeof code === 'string' && code.length > 0 ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Counts and times every operation Apollo Server handles (HTTP): `fgw_operations_total{operation,type,outcome}`
 * and `fgw_operation_duration_seconds{operation,type}`. Outcome is `ok` or the first error's code, including
 * errors raised before execution (parse, validation, unknown persisted query: `type` is then `unknown`).
 * Requests that fail while their context is built (UNAUTHENTICATED, RATE_LIMITED) or that are not GraphQL
 * requests at all (BAD_REQUEST) never start an operation: they are counted with operation and type `unknown`
 * and no duration. The duration runs from the start of the operation (after its context) to its response.
 * Operations over WebSocket do not pass through Apollo Server and are not counted here.
 */
export function metricsPlugin<Context extends BaseContext = BaseContext>(metrics: Metrics): ApolloServerPlugin<Context> {
  const unstarted = (error: unknown) =>
    metrics.operations.inc({ operation: 'unknown', type: 'unknown', outcome: metrics.outcomeLabel(codeOf(error)) });
  return {
    async contextCreationDidFail({ error }) {
      unstarted(error);
    },
    async invalidRequestWasReceived({ error }) {
      unstarted(error);
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let errorCode: string | undefined;
      return {
        async didEncounterErrors({ errors }) {
          errorCode ??= codeOf(errors[0]);
        },
        async willSendResponse({ request, operation, operationName }) {
          metrics.recordOperation({
            name: request.operationName ?? operationName,
            type: (operation?.operation as OperationType | undefined) ?? 'unknown',
            errorCode,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
        },
      };
    },
  };
}
