import type { DocumentNode } from 'graphql';
import type { HealthReport } from './health.ts';
import type { ContextInput } from './context.ts';
import type { WebhookRoute } from './webhooks/webhook-route.ts';
import type { Logger } from './logger.ts';
import type { Caller } from './access/principal.ts';
import type { ProviderRequestLog } from './resilience/provider-request-log.ts';
import type { ProviderPolicy } from './resilience/resilience.ts';

/** What every subgraph context has, whatever else its provider adds. */
export interface BaseContext {
  readonly requestId: string;
  readonly caller: Caller;
  readonly logger: Logger;
}

/**
 * A provider's public face: everything the server helper and the gateway need, nothing else.
 * The client, loaders and cache policy stay inside the provider's folder.
 */
export interface Subgraph<Context extends BaseContext> {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  /**
   * Resolvers typed by codegen. Kept as `object` here because codegen's `Resolvers` type and
   * `@apollo/subgraph`'s resolver map describe the same thing in incompatible ways.
   */
  readonly resolvers: object;
  createContext(input: ContextInput): Context;
  /** Collects the provider's request ids per operation, for the audit trail (its SDK client records them). */
  readonly requestLog?: ProviderRequestLog;
  /** Its provider's timeout, breaker and bulkhead; the breaker's state is part of its health. */
  readonly policy?: ProviderPolicy;
  /** Endpoints the provider calls; served on the gateway's public port and on the subgraph's own. */
  readonly webhooks?: readonly WebhookRoute[];
  /** Called once the gateway listens, with its base URL (a subgraph that builds public URLs on it: OAuth callbacks). */
  connectGateway?(gatewayBaseUrl: string): void;
  health(): Promise<HealthReport>;
  close(): Promise<void>;
}
