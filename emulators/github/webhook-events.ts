import type { IssueRecord, RepositoryRecord, UserRecord } from './records.ts';
import { restIssue, restOrganization, restOwner, restRepository } from './rest-objects.ts';
import type { Store } from './store.ts';
import { organizationExample, webhookExample, type JsonObject } from './webhook-examples.ts';

export interface WebhookEvent {
  /** `X-GitHub-Event`. */
  readonly name: 'star' | 'issues';
  readonly payload: JsonObject;
  /** The repository it happened in, for `X-GitHub-Hook-Installation-Target-ID`. */
  readonly repositoryId: number;
}

/** `star` with action `created` or `deleted`; `starred_at` is null on deletion, as on GitHub. */
export function starEvent(
  action: 'created' | 'deleted',
  { repository, sender, store, at }: { repository: RepositoryRecord; sender: UserRecord; store: Store; at: string },
): WebhookEvent {
  const example = webhookExample('star', action);
  return {
    name: 'star',
    repositoryId: repository.databaseId,
    payload: withOrganization(
      {
        action,
        starred_at: action === 'created' ? at : null,
        repository: restRepository(repository, store, example['repository']),
        sender: restOwner(sender, example['sender']),
      },
      repository,
      store,
    ),
  };
}

/** `issues` with action `opened`. */
export function issueOpenedEvent({
  issue,
  repository,
  sender,
  store,
}: {
  issue: IssueRecord;
  repository: RepositoryRecord;
  sender: UserRecord;
  store: Store;
}): WebhookEvent {
  const example = webhookExample('issues', 'opened');
  return {
    name: 'issues',
    repositoryId: repository.databaseId,
    payload: withOrganization(
      {
        action: 'opened',
        issue: restIssue(issue, repository, store, example['issue']),
        repository: restRepository(repository, store, example['repository']),
        sender: restOwner(sender, example['sender']),
      },
      repository,
      store,
    ),
  };
}

/** GitHub adds `organization` (before `sender`) when the repository belongs to one. */
function withOrganization(payload: JsonObject, repository: RepositoryRecord, store: Store): JsonObject {
  const organization = store.organization(repository.ownerLogin);
  if (!organization) return payload;
  const { sender, ...rest } = payload;
  return { ...rest, organization: restOrganization(organization, organizationExample()), ...(sender === undefined ? {} : { sender }) };
}
