import type { GitHubContext, Resolver, TypeResolvers } from '../context.ts';
import { GitHubFieldError } from '../github-errors.ts';
import type { RepositoryRecord } from '../records.ts';
import { issueOpenedEvent, starEvent } from '../webhook-events.ts';
import { unresolvedNode } from './query.ts';

interface StarInput {
  input: { starrableId: string; clientMutationId?: string | null };
}

interface CreateIssueInput {
  input: { repositoryId: string; title: string; body?: string | null; clientMutationId?: string | null };
}

export const mutationResolvers: TypeResolvers = {
  addStar: ((_source, { input }, context) => {
    context.record('mutation addStar');
    const repository = starrable(input.starrableId, context);
    const at = context.now();
    if (context.store.addStar(repository, context.viewer.login, at)) {
      context.emit(() => starEvent('created', { repository, sender: context.viewer, store: context.store, at }));
    }
    return { clientMutationId: input.clientMutationId ?? null, starrable: repository };
  }) satisfies Resolver<unknown, StarInput>,

  removeStar: ((_source, { input }, context) => {
    context.record('mutation removeStar');
    const repository = starrable(input.starrableId, context);
    const at = context.now();
    if (context.store.removeStar(repository, context.viewer.login, at)) {
      context.emit(() => starEvent('deleted', { repository, sender: context.viewer, store: context.store, at }));
    }
    return { clientMutationId: input.clientMutationId ?? null, starrable: repository };
  }) satisfies Resolver<unknown, StarInput>,

  createIssue: ((_source, { input }, context) => {
    context.record('mutation createIssue');
    const node = context.store.node(input.repositoryId);
    if (node?.__typename !== 'Repository') throw unresolvedNode(input.repositoryId);
    if (node.isArchived) throw new GitHubFieldError('UNPROCESSABLE', 'Repository was archived so is read-only.');
    if (input.title.trim() === '') throw new GitHubFieldError('UNPROCESSABLE', "Title can't be blank");
    const issue = context.store.createIssue(node, { title: input.title, body: input.body ?? '', author: context.viewer.login, at: context.now() });
    context.emit(() => issueOpenedEvent({ issue, repository: node, sender: context.viewer, store: context.store }));
    return { clientMutationId: input.clientMutationId ?? null, issue };
  }) satisfies Resolver<unknown, CreateIssueInput>,
};

/** Only repositories are starrable here (GitHub also stars gists and topics, which the emulator lacks). */
function starrable(id: string, { store }: GitHubContext): RepositoryRecord {
  const node = store.node(id);
  if (node?.__typename !== 'Repository') throw unresolvedNode(id);
  return node;
}
