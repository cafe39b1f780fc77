import { eventSubscription, occurredAt } from '../../kit/events/event-subscription.ts';
import type { EventStreams } from '../../kit/events/event-streams.ts';
import type { GithubContext } from './context.ts';
import { SOCIAL_TOPIC } from './webhooks.ts';
import type { RepositoryEventResolvers, SubscriptionRepositoryEventsArgs, SubscriptionResolvers } from './__generated__/resolvers.ts';

/**
 * `repositoryEvents`: activity on one public repository. Each event's repository is loaded afresh (the
 * webhook evicted it before publishing), so a star event shows the new count.
 */
export function createRepositoryEventResolvers(streams: EventStreams) {
  const Subscription: SubscriptionResolvers<GithubContext> = {
    repositoryEvents: eventSubscription(streams, ({ nameWithOwner, afterEventId }: SubscriptionRepositoryEventsArgs) => {
      const wanted = nameWithOwner.toLowerCase();
      return {
        topic: SOCIAL_TOPIC,
        afterEventId,
        accept: (event) => event.provider === 'github' && event.keys['repository']?.toLowerCase() === wanted,
      };
    }),
  };
  const RepositoryEvent: RepositoryEventResolvers<GithubContext> = {
    occurredAt,
    repository: (event, _args, context) => {
      const nameWithOwner = event.keys['repository'];
      return nameWithOwner ? context.loaders.repository.clear(nameWithOwner).load(nameWithOwner) : null;
    },
    sender: (event, _args, context) => {
      const login = event.keys['senderLogin'];
      return login ? context.loaders.user.load(login) : null;
    },
  };
  return { Subscription, RepositoryEvent };
}
