import type { EventBus } from './event-bus.ts';
import type { Logger } from '../logger.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';

export interface EventBusConfig {
  redisUrl?: string | undefined;
  /** Channel prefix for the Redis engine (`<keyPrefix>:events:<topic>`, default `fgw`); unused in memory. */
  keyPrefix?: string | undefined;
  logger: Logger;
  /** Called with what a handler threw; the other handlers still run. Defaults to logging it. */
  onHandlerError?: ((error: unknown) => void) | undefined;
}

/** Redis when a URL is configured (events reach every replica), memory otherwise (this process only). */
export async function createEventBus({ redisUrl, keyPrefix, logger, onHandlerError }: EventBusConfig): Promise<EventBus> {
  const reportHandlerError = onHandlerError ?? ((err: unknown) => logger.error({ err }, 'event handler failed'));
  if (!redisUrl) return createMemoryEventBus({ onHandlerError: reportHandlerError });
  // Loaded only when used, as the cache store's Redis engine is (start-up time).
  const { createRedisEventBus } = await import('./redis-event-bus.ts');
  return createRedisEventBus({ url: redisUrl, keyPrefix, logger, onHandlerError: reportHandlerError });
}
