import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** What a subscription sent as a plain request gets: where its events can be read instead. */
export const SUBSCRIPTION_NEEDS_A_STREAM =
  'Subscriptions are answered as a stream of events: use graphql-ws (WebSocket) on this URL, or send the request with `Accept: text/event-stream` (SSE) or `Accept: multipart/mixed;subscriptionSpec=1.0`.';

/**
 * Refuses (400 BAD_REQUEST) a subscription that reached Apollo Server: SSE and multipart requests are served
 * before it (http-streams.ts), so this one asked for a single answer, which a subscription does not have.
 */
export function subscriptionsNeedAStream<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  const listener = {
    async didResolveOperation({ operation }: { operation?: { operation: string } | undefined }) {
      if (operation?.operation === 'subscription') throw new GraphQLError(SUBSCRIPTION_NEEDS_A_STREAM, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
    },
  };
  return { requestDidStart: async () => listener };
}
