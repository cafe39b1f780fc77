import { redactArguments, type AuditLog } from '../../kit/access/audit-log.ts';
import type { Refusal } from './shield-schema.ts';

/** An audit record for a mutation the gateway refused: no provider was called, so it has no provider ids. */
export function auditRefusal(audit: AuditLog): (refusal: Refusal) => void {
  return ({ info, args, context, error }) =>
    audit.write({
      time: new Date().toISOString(),
      requestId: context.requestId,
      principal: context.caller.kind === 'user' ? context.caller.principal.subject : 'anonymous',
      operationName: info.operation.name?.value ?? null,
      field: info.fieldName,
      provider: 'gateway',
      providerRequestIds: [],
      outcome: String(error.extensions['code'] ?? 'FORBIDDEN'),
      arguments: redactArguments(args),
    });
}
