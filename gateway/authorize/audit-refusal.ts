import { redactArguments, type AuditLog } from '../../kit/access/audit-log.ts';
import type { GatewayContext } from '../execute/gateway-context.ts';
import type { FieldRefusal } from './operation-check.ts';

/** An audit record for a mutation the gateway refused: no provider was called, so it has no provider ids. */
export function auditRefusal(audit: AuditLog): (refusal: FieldRefusal, context: GatewayContext, operationName: string | null) => void {
  return ({ fieldName, args, error }, context, operationName) =>
    audit.write({
      time: new Date().toISOString(),
      requestId: context.requestId,
      principal: context.caller.kind === 'user' ? context.caller.principal.subject : 'anonymous',
      operationName,
      field: fieldName,
      provider: 'gateway',
      providerRequestIds: [],
      outcome: String(error.extensions['code'] ?? 'FORBIDDEN'),
      arguments: redactArguments(args),
    });
}
