import { verify } from '@octokit/webhooks-methods';
import type { CacheStore } from '../../kit/cache/cache-store.ts';
import type { EventBus, DomainEvent } from '../../kit/events/event-bus.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Metrics } from '../../kit/metrics.ts';
import type { ProviderCache } from '../../kit/cache/provider-cache.ts';
import { createWebhookPipeline, WebhookVerificationError, type WebhookPipeline } from '../../kit/webhooks/webhook-pipeline.ts';
import type { GitHubCacheKind } from './cache-policy.ts';

export const GITHUB_WEBHOOK_PATH = '/webhooks/github';
export const SOCIAL_TOPIC = 'social';
/** GitHub does not retry deliveries by itself; a redelivery from the UI comes with the same id, days later at most. */
const DEDUPLICATION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The parts of a delivery this subgraph reads. */
export interface GitHubDelivery {
  id: string;
  name: string;
  payload: {
    action?: string;
    repository?: { full_name: string; owner: { login: string } };
    sender?: { login: string };
  };
}

/** GitHub's event as a domain event, or null for deliveries nobody consumes (ping, unknown events). */
export function toDomainEvent(delivery: GitHubDelivery, receivedAt: Date): DomainEvent | null {
  const repository = delivery.payload.repository;
  if (!repository) return null;
  const action = delivery.payload.action;
  const type =
    delivery.name === 'star'
      ? action === 'deleted'
        ? 'repository.unstarred'
        : 'repository.starred'
      : delivery.name === 'push'
        ? 'repository.pushed'
        : delivery.name === 'issues'
          ? `issue.${action ?? 'changed'}`
          : delivery.name === 'repository'
            ? `repository.${action ?? 'changed'}`
            : null;
  if (!type) return null;
  return {
    id: delivery.id,
    provider: 'github',
    type,
    occurredAt: receivedAt.toISOString(),
    keys: { repository: repository.full_name, ownerLogin: repository.owner.login, ...(delivery.payload.sender ? { senderLogin: delivery.payload.sender.login } : {}) },
  };
}

/** POST /webhooks/github: X-Hub-Signature-256 over the raw body, de-duplicated by X-GitHub-Delivery. */
export function createGitHubWebhook({
  secret,
  cache,
  cacheStore,
  eventBus,
  logger,
  metrics,
}: {
  secret: string;
  cache: ProviderCache<GitHubCacheKind>;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
}): WebhookPipeline {
  return createWebhookPipeline<GitHubDelivery>({
    metrics,
    path: GITHUB_WEBHOOK_PATH,
    provider: 'github',
    logger,
    async verify({ rawBody, headers }) {
      const signature = headers['x-hub-signature-256'];
      const id = headers['x-github-delivery'];
      const name = headers['x-github-event'];
      if (typeof signature !== 'string' || typeof id !== 'string' || typeof name !== 'string') {
        throw new WebhookVerificationError('missing X-Hub-Signature-256, X-GitHub-Delivery or X-GitHub-Event');
      }
      const body = rawBody.toString('utf8');
      if (!(await verify(secret, body, signature).catch(() => false))) throw new WebhookVerificationError('signature does not match');
      try {
        return { id, name, payload: JSON.parse(body) as GitHubDelivery['payload'] };
      } catch {
        throw new WebhookVerificationError('body is not JSON');
      }
    },
    eventId: (delivery) => delivery.id,
    claim: (id) => cacheStore.claim('github-webhooks', id, DEDUPLICATION_WINDOW_MS),
    async process(delivery) {
      const repository = delivery.payload.repository;
      if (repository) {
        await cache.delete([
          { kind: 'repository', id: repository.full_name.toLowerCase() },
          { kind: 'user', id: repository.owner.login.toLowerCase() },
        ]);
      }
      const event = toDomainEvent(delivery, new Date());
      if (event) await eventBus.publish(SOCIAL_TOPIC, event);
    },
  });
}
