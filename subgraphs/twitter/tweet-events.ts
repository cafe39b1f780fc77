import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import { eventSubscription, occurredAt } from '../../kit/events/event-subscription.ts';
import type { EventStreams } from '../../kit/events/event-streams.ts';
import type { TwitterContext } from './context.ts';
import { SOCIAL_TOPIC } from './webhooks.ts';
import type { SubscriptionResolvers, SubscriptionTweetEventsArgs, TweetEventResolvers } from './__generated__/resolvers.ts';

/**
 * `tweetEvents`: posts created or deleted by one account. X's events name authors by id, so the username
 * is looked up once, when the subscription starts (an unknown one is NOT_FOUND then).
 */
export function createTweetEventResolvers(streams: EventStreams) {
  const Subscription: SubscriptionResolvers<TwitterContext> = {
    tweetEvents: eventSubscription(streams, async ({ username, afterEventId }: SubscriptionTweetEventsArgs, context: TwitterContext) => {
      const user = await context.loaders.userByUsername.load(username);
      if (!user) throw gatewayError(ErrorCode.NOT_FOUND, 'X user not found', { provider: 'twitter' });
      return {
        topic: SOCIAL_TOPIC,
        afterEventId,
        accept: (event) => event.provider === 'twitter' && event.keys['authorId'] === user.id,
      };
    }),
  };
  const TweetEvent: TweetEventResolvers<TwitterContext> = {
    occurredAt,
    tweetId: (event) => event.keys['tweetId'] ?? '',
    tweet: (event, _args, context) => {
      const id = event.keys['tweetId'];
      return id && event.type !== 'tweet.deleted' ? context.loaders.tweet.clear(id).load(id) : null;
    },
    author: (event, _args, context) => {
      const id = event.keys['authorId'];
      return id ? context.loaders.userById.load(id) : null;
    },
  };
  return { Subscription, TweetEvent };
}
