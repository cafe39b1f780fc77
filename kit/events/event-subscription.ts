import type { DomainEvent } from './event-bus.ts';
import type { EventStreams, StreamRequest } from './event-streams.ts';

/**
 * A Subscription field over the event streams: `request` turns the field's arguments and the caller into
 * what the subscriber may receive (it may throw FORBIDDEN, or look something up first); each event is the
 * field's value. Library boundary: codegen types subscription resolvers per field; this shape fits them all.
 */
export function eventSubscription<Args, Context>(streams: EventStreams, request: (args: Args, context: Context) => StreamRequest | Promise<StreamRequest>) {
  return {
    subscribe: async (_root: unknown, args: Args, context: Context) => streams.open(await request(args, context)),
    resolve: (event: DomainEvent) => event,
  };
}

/** `occurredAt` of a domain event as the DateTime scalar's value. */
export const occurredAt = (event: DomainEvent) => new Date(event.occurredAt);
