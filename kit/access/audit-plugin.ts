import type { ApolloServerPlugin } from '@apollo/server';
import { redactArguments, type AuditLog } from './audit-log.ts';
import type { BaseContext } from '../subgraph.ts';

/** The header (and, over WebSocket, extension) in which the gateway passes the client's operation name. */
export const OPERATION_NAME_HEADER = 'x-operation-name';

interface AuditedField {
  field: string;
  responseKey: string;
  args: Record<string, unknown>;
  providerRequestIds: string[];
}

/**
 * Writes one audit record per mutation field a subgraph executes: who, which operation, which provider
 * calls (their request ids), and the outcome the client saw. Mutation fields run one after another, so
 * the provider request ids recorded while one resolves are that field's.
 */
export function auditPlugin<Context extends BaseContext>({
  audit,
  provider,
  providerRequestIds,
}: {
  audit: AuditLog;
  provider: string;
  /** The ids recorded so far for the current operation (see provider-request-log.ts); none if absent. */
  providerRequestIds?: () => readonly string[];
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const fields: AuditedField[] = [];
      const operationName = request.http?.headers.get(OPERATION_NAME_HEADER) ?? null;
      return {
        async executionDidStart({ operation }) {
          if (operation.operation !== 'mutation') return;
          return {
            willResolveField({ info, args }) {
              if (info.path.prev !== undefined) return;
              const before = providerRequestIds?.().length ?? 0;
              const entry: AuditedField = { field: info.fieldName, responseKey: String(info.path.key), args, providerRequestIds: [] };
              fields.push(entry);
              return () => {
                entry.providerRequestIds = providerRequestIds?.().slice(before) ?? [];
              };
            },
          };
        },
        async willSendResponse({ response, contextValue }) {
          if (fields.length === 0) return;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const principal = contextValue.caller.kind === 'user' ? contextValue.caller.principal.subject : 'anonymous';
          for (const field of fields) {
            const failed = errors.find((error) => error.path?.[0] === field.responseKey);
            audit.write({
              time: new Date().toISOString(),
              requestId: contextValue.requestId,
              principal,
              operationName,
              field: field.field,
              provider,
              providerRequestIds: field.providerRequestIds,
              outcome: failed ? String(failed.extensions?.['code'] ?? 'ERROR') : 'ok',
              arguments: redactArguments(field.args),
            });
          }
        },
      };
    },
  };
}
