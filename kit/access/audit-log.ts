import { pino } from 'pino';
import type { Logger } from '../logger.ts';

/** One mutation field, as the audit trail keeps it. */
export interface AuditRecord {
  time: string;
  requestId: string;
  /** The subject, or "anonymous". */
  principal: string;
  /** The client's operation name, as the gateway forwarded it; null for anonymous operations. */
  operationName: string | null;
  field: string;
  provider: string;
  /** The provider's own ids of the calls made for this field (Stripe's Request-Id, …), for their support. */
  providerRequestIds: string[];
  /** "ok", or the error code the client received. */
  outcome: string;
  /** The field's arguments with every value not known to be harmless replaced (see redactArguments). */
  arguments: unknown;
}

export interface AuditLog {
  write(record: AuditRecord): void;
  /** Flushes the file, if any. */
  close(): Promise<void>;
}

/**
 * Audit records on their own channel: log lines marked `channel: "audit"` through the process's logger,
 * and, when AUDIT_LOG_FILE is set, JSON lines appended to that file (kept whatever LOG_LEVEL is).
 */
export function createAuditLog({ logger, file }: { logger: Logger; file?: string | undefined }): AuditLog {
  const channel = logger.child({ channel: 'audit' });
  const destination = file ? pino.destination({ dest: file, append: true, mkdir: true, sync: false }) : undefined;
  const fileLogger = destination ? pino({ base: null, timestamp: false, messageKey: 'event' }, destination) : undefined;
  return {
    write(record) {
      channel.info({ audit: record }, 'mutation audited');
      fileLogger?.info(record, 'mutation');
    },
    async close() {
      if (!destination) return;
      await new Promise<void>((resolve) => destination.flush(() => resolve()));
      destination.end();
    },
  };
}

/**
 * Argument names whose values are identifiers, amounts or switches: everything else (names, emails,
 * phone numbers, free text, metadata, payment method references) is replaced by "[redacted]", so
 * personal data and anything card-related never reach the audit trail. An allow-list, so a new argument
 * is redacted until someone decides otherwise.
 */
const HARMLESS = new Set([
  'id',
  'customerId',
  'paymentIntentId',
  'priceId',
  'amount',
  'currency',
  'quantity',
  'reason',
  'idempotencyKey',
  'bucket',
  'key',
  'contentType',
  'contentLength',
  'expiresIn',
  'nameWithOwner',
  'allowRedirects',
  'provider',
  'first',
  'after',
  'endpointId',
  'deliveryId',
  'since',
]);

export function redactArguments(value: unknown, name?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => redactArguments(item, name));
  // A scalar parsed into an object (DateTime): judged as the value it stands for, not walked as an object.
  if (value instanceof Date) return redactArguments(value.toISOString(), name);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactArguments(inner, key)]));
  }
  if (value === null || value === undefined) return value ?? null;
  return name !== undefined && HARMLESS.has(name) ? value : '[redacted]';
}
