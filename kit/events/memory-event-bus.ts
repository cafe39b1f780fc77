import type { DomainEvent, EventBus, EventHandler } from './event-bus.ts';

/** The embedded default: delivery within this process. A throwing handler never stops the others. */
export function createMemoryEventBus({ onHandlerError }: { onHandlerError?: (error: unknown) => void } = {}): EventBus {
  const topics = new Map<string, Set<EventHandler>>();
  return {
    async publish(topic: string, event: DomainEvent) {
      for (const handler of [...(topics.get(topic) ?? [])]) {
        try {
          handler(event);
        } catch (error) {
          onHandlerError?.(error);
        }
      }
    },
    subscribe(topic, handler) {
      const handlers = topics.get(topic) ?? new Set<EventHandler>();
      handlers.add(handler);
      topics.set(topic, handlers);
      let subscribed = true;
      return () => {
        // A second call must not remove a set that a later subscriber has since re-created.
        if (!subscribed) return;
        subscribed = false;
        handlers.delete(handler);
        if (handlers.size === 0 && topics.get(topic) === handlers) topics.delete(topic);
      };
    },
    async close() {
      topics.clear();
    },
  };
}
