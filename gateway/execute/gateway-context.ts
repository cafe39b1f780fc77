import type { Logger } from '../../kit/logger.ts';
import { sessionOf, type Caller } from '../auth/principal.ts';
import { forwardedKey } from './forwarded-headers.ts';
import type { StaleReport } from '../../kit/stale-plugin.ts';

/** What the gateway knows about one operation while it runs. */
export interface GatewayContext {
  readonly requestId: string;
  readonly caller: Caller;
  readonly logger: Logger;
  /** Cached entries the subgraphs served stale for this operation (`extensions.stale`). */
  readonly stale?: StaleReport[];
  /** The client's headers passed on to every subgraph request (GATEWAY_FORWARD_HEADERS); HTTP requests only. */
  readonly forwardedHeaders?: Readonly<Record<string, string>> | undefined;
  /** Custom `@override` labels this request turned on (`x-override-labels`, GATEWAY_OVERRIDE_REQUEST_LABELS), sorted. */
  readonly overrideLabels?: readonly string[] | undefined;
}

/** Log lines of an operation carry its request id and, when authenticated, the subject (never the token). */
export function operationLogger(logger: Logger, requestId: string, caller: Caller): Logger {
  return logger.child({ requestId, ...(caller.kind === 'user' ? { subject: caller.principal.subject } : {}) });
}

export function isGatewayContext(value: unknown): value is GatewayContext {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string';
}

/**
 * Who may be given the same answer as this operation (the response cache's session, operations in flight
 * shared by identical requests): the caller's session (`sessionOf`), the client headers forwarded to the
 * subgraphs, which may change what they answer, and the override labels it turned on, which may change which
 * subgraph answers. Null for an anonymous caller forwarding nothing and turning nothing on.
 */
export function answerSessionOf(context: Pick<GatewayContext, 'caller' | 'forwardedHeaders' | 'overrideLabels'>): string | null {
  const session = sessionOf(context.caller);
  if (!context.forwardedHeaders && !context.overrideLabels) return session;
  const forwarded = context.forwardedHeaders ? forwardedKey(context.forwardedHeaders) : '';
  return `${session ?? 'anonymous'}\u0000${forwarded}${context.overrideLabels ? `\u0000labels:${context.overrideLabels.join(',')}` : ''}`;
}
