import type { DomainEvent, EventBus } from '../../kit/events/event-bus.ts';

/** Everything published on a topic, and a bounded wait for the event a test expects. */
export function recordEvents(eventBus: EventBus, topic: string) {
  const published: DomainEvent[] = [];
  eventBus.subscribe(topic, (event) => published.push(event));
  return {
    published,
    /** Resolves with the first published event that matches, or rejects after `timeoutMs`. */
    async next(match: (event: DomainEvent) => boolean, timeoutMs = 5000): Promise<DomainEvent> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const event = published.find(match);
        if (event) return event;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('no matching event was published');
    },
  };
}
