import type { Logger } from '../../subgraphs/kit/logger.ts';

/** What the gateway knows about one operation while it runs. */
export interface GatewayContext {
  readonly requestId: string;
  readonly logger: Logger;
}

export function isGatewayContext(value: unknown): value is GatewayContext {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string';
}
