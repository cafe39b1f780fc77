import type { Resolver, TypeResolvers } from '../context.ts';
import { notFound } from '../github-errors.ts';
import type { NodeRecord } from '../records.ts';
import { search } from './search.ts';

/** GitHub's words when a global id resolves to nothing (unknown, malformed or not visible). */
export const unresolvedNode = (id: string): Error => notFound(`Could not resolve to a node with the global id of '${id}'`);

export const queryResolvers: TypeResolvers = {
  viewer: ((_source, _args, { viewer }) => viewer) satisfies Resolver<unknown>,
  user: ((_source, { login }, { store }) => {
    const user = store.user(login);
    if (!user) throw notFound(`Could not resolve to a User with the login of '${login}'.`);
    return user;
  }) satisfies Resolver<unknown, { login: string }>,
  organization: ((_source, { login }, { store }) => {
    const organization = store.organization(login);
    if (!organization) throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
    return organization;
  }) satisfies Resolver<unknown, { login: string }>,
  // GitHub answers null without an error here: the field exists to probe for an owner.
  repositoryOwner: ((_source, { login }, { store }) => store.owner(login) ?? null) satisfies Resolver<unknown, { login: string }>,
  repository: ((_source, { owner, name }, { store }) => {
    const repository = store.repository(owner, name);
    if (!repository) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
    return repository;
  }) satisfies Resolver<unknown, { owner: string; name: string }>,
  node: ((_source, { id }, { store }) => {
    const node = store.node(id);
    if (!node) throw unresolvedNode(id);
    return node;
  }) satisfies Resolver<unknown, { id: string }>,
  // An Error in a list becomes that item's error (null, with its path), as GitHub reports missing ids.
  nodes: ((_source, { ids }, { store }) => ids.map((id): NodeRecord | Error => store.node(id) ?? unresolvedNode(id))) satisfies Resolver<
    unknown,
    { ids: readonly string[] }
  >,
  search,
  rateLimit: ((_source, _args, { rateLimit }) => rateLimit) satisfies Resolver<unknown>,
};
