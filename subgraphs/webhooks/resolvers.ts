import { randomBytes } from 'node:crypto';
import { visibleTo } from '../../kit/access/access.ts';
import { principalOf, type Caller, type Principal } from '../../kit/access/principal.ts';
import { ErrorCode, gatewayError } from '../../kit/errors.ts';
import { DateTimeScalar } from '../../kit/scalars.ts';
import { urlProblems } from './address-guard.ts';
import type { WebhooksSettings } from './config.ts';
import type { EndpointRow, EndpointStore } from './endpoints.ts';
import { EVENT_TYPES, invalidEventTypeFilters, TEST_EVENT_TYPE } from './event-types.ts';
import { nextAttemptAt, type Outbox } from './outbox.ts';
import type { DeliveryStatus } from './tables.ts';
import type { Resolvers, WebhookDeliveryStatus } from './__generated__/resolvers.ts';

export interface WebhooksResolverDeps {
  endpoints: EndpointStore;
  outbox: Outbox;
  settings: WebhooksSettings;
  /** New work in the outbox: the local worker looks at once instead of at its next poll. */
  wake(): void;
}

const notFound = () => gatewayError(ErrorCode.NOT_FOUND, 'Webhook endpoint not found');
const ownsEndpoint = (principal: Principal, endpoint: EndpointRow) => endpoint.owner_subject === principal.subject;

/** The endpoint when the caller owns it (admins: any); FORBIDDEN otherwise, as for an id that does not exist. */
async function ownEndpoint(endpoints: EndpointStore, caller: Caller, id: string): Promise<EndpointRow> {
  return visibleTo(caller, await endpoints.get(id), ownsEndpoint, notFound);
}

function signedIn(caller: Caller): Principal {
  const principal = principalOf(caller);
  if (!principal) throw gatewayError(ErrorCode.UNAUTHENTICATED, 'Sign in to use this field');
  return principal;
}

function checkUrl(url: string, settings: WebhooksSettings): void {
  const problem = urlProblems(url, settings);
  if (problem) throw gatewayError(ErrorCode.BAD_USER_INPUT, `url ${problem}`, { argument: 'url' });
}

function checkEventTypes(eventTypes: readonly string[]): void {
  if (eventTypes.length === 0) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'eventTypes must name at least one event type (or `*`)', { argument: 'eventTypes' });
  const invalid = invalidEventTypeFilters(eventTypes);
  if (invalid.length > 0) throw gatewayError(ErrorCode.BAD_USER_INPUT, `unknown event types: ${invalid.join(', ')} (see webhookEventTypes)`, { argument: 'eventTypes', invalid });
}

const STATUS_IN: Record<WebhookDeliveryStatus, DeliveryStatus> = { PENDING: 'pending', DELIVERING: 'delivering', SUCCEEDED: 'succeeded', FAILED: 'failed' };

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor from this connection', { argument: 'after' });
  return { createdAt, id };
}
const encodeCursor = (createdAt: Date, id: string) => Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

export function createWebhooksResolvers({ endpoints, outbox, settings, wake }: WebhooksResolverDeps): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      webhookEndpoints: (_root, _args, { caller }) => endpoints.listOwned(signedIn(caller).subject),
      webhookEndpoint: async (_root, { id }, { caller }) => ownEndpoint(endpoints, caller, id),
      webhookEventTypes: () => [...EVENT_TYPES],
    },
    Mutation: {
      createWebhookEndpoint: async (_root, { input }, { caller }) => {
        const owner = signedIn(caller);
        checkUrl(input.url, settings);
        checkEventTypes(input.eventTypes);
        return endpoints.create(owner, { url: input.url, eventTypes: input.eventTypes, description: input.description });
      },
      updateWebhookEndpoint: async (_root, { id, input }, { caller }) => {
        const endpoint = await ownEndpoint(endpoints, caller, id);
        if (input.url !== undefined && input.url !== null) checkUrl(input.url, settings);
        if (input.eventTypes !== undefined && input.eventTypes !== null) checkEventTypes(input.eventTypes);
        const principal = principalOf(caller);
        const byOwner = principal && ownsEndpoint(principal, endpoint) ? principal : undefined;
        const updated = await endpoints.update(id, { url: input.url ?? undefined, eventTypes: input.eventTypes ?? undefined, description: input.description }, byOwner);
        if (!updated) throw notFound();
        return updated;
      },
      disableWebhookEndpoint: async (_root, { id }, { caller }) => {
        await ownEndpoint(endpoints, caller, id);
        return (await endpoints.disable(id, 'disabled')) ?? (await ownEndpoint(endpoints, caller, id));
      },
      enableWebhookEndpoint: async (_root, { id }, { caller }) => {
        await ownEndpoint(endpoints, caller, id);
        const enabled = await endpoints.enable(id);
        if (!enabled) throw notFound();
        wake();
        return enabled;
      },
      deleteWebhookEndpoint: async (_root, { id }, { caller }) => {
        await ownEndpoint(endpoints, caller, id);
        await endpoints.delete(id);
        return id;
      },
      rotateWebhookEndpointSecret: async (_root, { id, overlapSeconds }, { caller }) => {
        await ownEndpoint(endpoints, caller, id);
        const overlap = overlapSeconds ?? 86_400;
        if (overlap < 0 || overlap > 7 * 86_400) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'overlapSeconds must be from 0 to 604800 (7 days)', { argument: 'overlapSeconds' });
        const rotated = await endpoints.rotate(id, overlap);
        if (!rotated) throw notFound();
        return rotated;
      },
      sendWebhookTestEvent: async (_root, { endpointId }, { caller }) => {
        const endpoint = await ownEndpoint(endpoints, caller, endpointId);
        const id = `msg_test_${randomBytes(12).toString('hex')}`;
        const payload = JSON.stringify({ type: TEST_EVENT_TYPE, timestamp: new Date().toISOString(), data: { endpointId: endpoint.id } });
        const delivery = await outbox.enqueueDirect(endpoint.id, { id, type: TEST_EVENT_TYPE, payload });
        wake();
        return { ...delivery, event_type: TEST_EVENT_TYPE, breaker_open_until: endpoint.breaker_open_until };
      },
      redeliverWebhook: async (_root, { deliveryId }, { caller }) => {
        const delivery = await outbox.getDelivery(deliveryId);
        // Someone else's delivery and a missing one read the same (the endpoint's owner decides).
        const endpoint = await ownEndpoint(endpoints, caller, delivery?.endpoint_id ?? '');
        const redelivered = await outbox.redeliver(deliveryId);
        if (!redelivered) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'This delivery is being attempted right now', { argument: 'deliveryId' });
        wake();
        return { ...redelivered, breaker_open_until: endpoint.breaker_open_until };
      },
      replayWebhooks: async (_root, { endpointId, since }, { caller }) => {
        const endpoint = await ownEndpoint(endpoints, caller, endpointId);
        const count = await outbox.replay(endpoint, since instanceof Date ? since : new Date(since));
        if (count > 0) wake();
        return count;
      },
    },
    WebhookEndpoint: {
      eventTypes: (endpoint) => endpoint.event_types,
      status: (endpoint) => (endpoint.status === 'enabled' ? 'ENABLED' : 'DISABLED'),
      disabledReason: (endpoint) => endpoint.disabled_reason,
      createdAt: (endpoint) => endpoint.created_at,
      updatedAt: (endpoint) => endpoint.updated_at,
      deliveries: async (endpoint, { first, after, status }) => {
        const size = first ?? 20;
        if (size < 1 || size > 100) throw gatewayError(ErrorCode.BAD_USER_INPUT, 'first must be from 1 to 100', { argument: 'first' });
        const page = await outbox.listDeliveries(endpoint.id, { first: size, after: after ? decodeCursor(after) : undefined, status: status ? STATUS_IN[status] : undefined });
        const last = page.rows[page.rows.length - 1];
        return { nodes: page.rows, hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(last.created_at, last.id) : null };
      },
    },
    WebhookDeliveryConnection: {
      pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, hasPreviousPage: false, startCursor: null, endCursor: connection.endCursor }),
    },
    WebhookDelivery: {
      messageId: (delivery) => delivery.message_id,
      eventType: (delivery, _args, context) => delivery.event_type ?? context.loaders.eventType.load(delivery.message_id),
      status: (delivery) => delivery.status.toUpperCase() as WebhookDeliveryStatus,
      attemptCount: (delivery) => delivery.attempt_count,
      nextAttemptAt: (delivery) => nextAttemptAt(delivery, delivery.breaker_open_until),
      lastStatusCode: (delivery) => delivery.last_status_code,
      createdAt: (delivery) => delivery.created_at,
      attempts: (delivery, _args, context) => context.loaders.attempts.load(delivery.id),
    },
    WebhookAttempt: {
      startedAt: (attempt) => attempt.started_at,
      latencyMs: (attempt) => attempt.duration_ms,
      statusCode: (attempt) => attempt.status_code,
    },
  };
}
