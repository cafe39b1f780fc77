import { scope, type AccessRules } from '../../kit/access/access.ts';

const manage = scope('webhooks:write');

/**
 * Who may use the webhook fields (README: Authorization): `webhooks:write` for all of them. Endpoints are
 * their owner's: the subgraph answers FORBIDDEN for anyone else's, as for an id that does not exist.
 */
export const webhooksAccess: AccessRules = {
  Query: { webhookEndpoints: manage, webhookEndpoint: manage, webhookEventTypes: manage },
  Mutation: {
    createWebhookEndpoint: manage,
    updateWebhookEndpoint: manage,
    disableWebhookEndpoint: manage,
    enableWebhookEndpoint: manage,
    deleteWebhookEndpoint: manage,
    rotateWebhookEndpointSecret: manage,
    sendWebhookTestEvent: manage,
    redeliverWebhook: manage,
    replayWebhooks: manage,
  },
};
