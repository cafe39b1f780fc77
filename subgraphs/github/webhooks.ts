import { createHash } from 'node:crypto';
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
/**
 * GitHub does not retry deliveries by itself; a redelivery from its UI or API is possible for 3 days. A
 * signed body is processed once in this window, and one whose signed event time is older is refused, so a
 * capture cannot be replayed once its claim has expired either.
 */
const DEDUPLICATION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The parts of a delivery this subgraph reads. */
export interface GitHubDelivery {
  id: string;
  name: string;
  /** SHA-256 of the signed body: what the signature covers, unlike the delivery id and event name headers. */
  digest: string;
  payload: {
    action?: string;
    starred_at?: string | null;
    ref?: string;
    commits?: unknown[];
    issue?: { updated_at?: string };
    repository?: { full_name: string; owner: { login: string }; private?: boolean; pushed_at?: number | string | null };
    sender?: { login: string };
  };
}

/**
 * When the event happened, from the signed payload, for the events whose payload says so (null otherwise).
 * Throws when the payload is not the kind `X-GitHub-Event` (unsigned) claims, so a header cannot route a
 * body around this check.
 */
export function signedEventTime({ name, payload }: Pick<GitHubDelivery, 'name' | 'payload'>): Date | null {
  const shapeless = (what: string) => new WebhookVerificationError(`a ${name} delivery without ${what}`);
  switch (name) {
    case 'star':
      if (!('starred_at' in payload)) throw shapeless('starred_at');
      return payload.starred_at ? new Date(payload.starred_at) : null;
    case 'issues':
      if (!payload.issue) throw shapeless('issue');
      return payload.issue.updated_at ? new Date(payload.issue.updated_at) : null;
    case 'push': {
      if (typeof payload.ref !== 'string' || !Array.isArray(payload.commits)) throw shapeless('ref and commits');
      // Push payloads give the repository's pushed_at in epoch seconds, other events as an ISO string.
      const pushedAt = payload.repository?.pushed_at;
      return typeof pushedAt === 'number' ? new Date(pushedAt * 1000) : typeof pushedAt === 'string' ? new Date(pushedAt) : null;
    }
    default:
      return null;
  }
}

/**
 * GitHub's event as a domain event, or null for deliveries nobody consumes (ping, unknown events) and for
 * private repositories: subscriptions and outgoing webhooks have no rule for who may see one (the gateway's
 * reads of them are public-only too), so their activity is never published. Caches are still evicted.
 */
export function toDomainEvent(delivery: GitHubDelivery, receivedAt: Date): DomainEvent | null {
  const repository = delivery.payload.repository;
  if (!repository || repository.private === true) return null;
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

/**
 * POST /webhooks/github: X-Hub-Signature-256 over the raw body, de-duplicated by the body's digest (a replay
 * with a fresh X-GitHub-Delivery or another X-GitHub-Event is the same body). Processing reads only which
 * repository changed: it forgets the cached copies and notifies, and the data anyone then reads comes from
 * GitHub, so processing a delivery again could not move anything back to an older state.
 */
export function createGitHubWebhook({
  secret,
  cache,
  cacheStore,
  eventBus,
  logger,
  metrics,
  now = () => Date.now(),
}: {
  secret: string;
  cache: ProviderCache<GitHubCacheKind>;
  cacheStore: CacheStore;
  eventBus: EventBus;
  logger: Logger;
  metrics?: Metrics | undefined;
  now?: () => number;
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
      let payload: GitHubDelivery['payload'];
      try {
        payload = JSON.parse(body) as GitHubDelivery['payload'];
      } catch {
        throw new WebhookVerificationError('body is not JSON');
      }
      if (typeof payload !== 'object' || payload === null) throw new WebhookVerificationError('body is not a JSON object');
      const happenedAt = signedEventTime({ name, payload });
      if (happenedAt && !(now() - happenedAt.getTime() < DEDUPLICATION_WINDOW_MS)) {
        throw new WebhookVerificationError('event older than the de-duplication window (a replay)');
      }
      return { id, name, digest: createHash('sha256').update(rawBody).digest('hex'), payload };
    },
    eventId: (delivery) => delivery.digest,
    claim: (id) => cacheStore.claim('github-webhooks', id, DEDUPLICATION_WINDOW_MS),
    release: (id) => cacheStore.releaseClaim('github-webhooks', id),
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
